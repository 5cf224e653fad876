import { authHeaders, enc } from '../api/client.ts';

// Follows the namespace's change stream (an Ensign extension: SSE) and calls `onChange` when
// someone changed the namespace, so every open page reloads what it shows. Two kinds of event say
// so: a new snapshot version (`id:` is its ETag; moves when evaluation would answer differently)
// and `event: revision` (moves with every committed write, also a renamed segment or a variant no
// rule uses). Events that arrive together cause one reload. The server sends no revision event at
// connect, so a reconnect reloads once: a change may have happened while the stream was down.
// fetch rather than EventSource: EventSource cannot send the bearer token.

const RETRY_MS = 2000;

export function followChanges(namespace: string, onChange: () => void): () => void {
  const controller = new AbortController();
  let lastEtag: string | undefined;
  let connections = 0;

  const run = async (): Promise<void> => {
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(`/internal/v1/evaluation/snapshot/namespace/${enc(namespace)}/stream`, {
          headers: { accept: 'text/event-stream', ...authHeaders() },
          signal: controller.signal,
        });
        // No stream on this server (a plain Flipt, or disabled): nothing to follow.
        if (response.status === 404 || response.status === 405) return;
        if (!response.ok || !response.body) throw new Error(String(response.status));
        if (connections++ > 0) onChange();
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let changed = false;
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            if (/^event: ?revision$/m.test(event)) changed = true;
            const id = /^id: ?(.*)$/m.exec(event)?.[1];
            if (id !== undefined) {
              if (lastEtag !== undefined && id !== lastEtag) changed = true;
              lastEtag = id;
            }
            end = buffer.indexOf('\n\n');
          }
          if (changed) onChange();
        }
      } catch {
        // Dropped or refused: try again shortly; pages still work without push.
      }
      if (controller.signal.aborted) return;
      await new Promise((resolve) => setTimeout(resolve, RETRY_MS));
    }
  };
  void run();
  return () => controller.abort();
}
