import { authHeaders, enc } from '../api/client.ts';

// Follows the namespace's change stream (an Ensign extension: SSE that names each new snapshot
// version) and calls `onChange` when the version moves, so every open page reloads what it
// shows when someone else edits. fetch rather than EventSource: EventSource cannot send the
// bearer token.

const RETRY_MS = 2000;

export function followChanges(namespace: string, onChange: () => void): () => void {
  const controller = new AbortController();
  let lastEtag: string | undefined;

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
        const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
        let buffer = '';
        for (;;) {
          const { value, done } = await reader.read();
          if (done) break;
          buffer += value;
          let end = buffer.indexOf('\n\n');
          while (end !== -1) {
            const event = buffer.slice(0, end);
            buffer = buffer.slice(end + 2);
            const id = /^id: ?(.*)$/m.exec(event)?.[1];
            if (id !== undefined) {
              if (lastEtag !== undefined && id !== lastEtag) onChange();
              lastEtag = id;
            }
            end = buffer.indexOf('\n\n');
          }
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
