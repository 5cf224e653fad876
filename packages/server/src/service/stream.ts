import type { Snapshot } from '@ensign/core';
import type { SnapshotSource } from '../storage/contract.ts';

// The change stream of one namespace as Server-Sent Events. Events are notifications, not data:
// each names a snapshot version by its ETag and the client refetches the snapshot endpoint it
// already polls, so the stream adds no second serialisation of a snapshot.
//
// Wire format (one event per new version; OFREP's refetchEvaluation shape, docs/ofrep.md, so
// the same URL can be advertised in OFREP `eventStreams`):
//
//   retry: 2000                      (first chunk only)
//   : connected
//
//   id: <etag>
//   data: {"type":"refetchEvaluation","namespace":"<key>","etag":"<etag>","lastModified":<unix s>}
//
//   event: revision                  (Ensign extension, see below)
//   data: {"type":"revision","namespace":"<key>","revision":"<revision>"}
//
//   : heartbeat                      (every heartbeatMs)
//
//   retry: 250                       (last chunk, when the server shuts down)
//   data: {"type":"goaway","namespace":"<key>"}
//
// The goaway event tells a client to reconnect now rather than after its backoff: behind a load
// balancer the new connection reaches a replica that is staying. OFREP clients ignore the type;
// EventSource clients reconnect after the shortened retry.
//
// The ETag moves only when what evaluation reads moves. The named `revision` event follows the
// source's management revision instead, which every committed change moves (a segment's name, a
// variant no rule uses), so a management UI can follow edits evaluation never sees. It is sent
// whenever the revision moves after the connection opened (not at connect: a client that reconnects
// reloads anyway, and resuming clients keep getting nothing when nothing moved), in the same chunk
// as a version event due at that moment. It carries no `id`, so Last-Event-ID stays the ETag;
// EventSource delivers named events only to listeners of that name, and readers that dispatch on
// `data` see a `type` they do not know, which OFREP says to ignore (our client and edge relay do).
// Only the database source keeps a revision; declarative sources send version events alone, as
// before (their content changes by commit, not through the UI).
//
// `id` is the ETag, so a reconnecting client's Last-Event-ID says which version it holds: equal to
// the current one means no event, anything else gets the current version at once.

export const DEFAULT_HEARTBEAT_MS = 15_000;
/** What EventSource-based clients wait before reconnecting. */
const RETRY_MS = 2000;
/** ...and after a goaway, when the new connection will reach another replica. */
const GOAWAY_RETRY_MS = 250;

export interface SnapshotStreamOptions {
  namespace: string;
  /** The Last-Event-ID request header: the ETag the client already has. */
  lastEventId?: string | undefined;
  heartbeatMs?: number;
  /** Aborted when the client goes away; ends the stream and drops the subscription. */
  signal?: AbortSignal;
  /** Aborted when the server starts shutting down: the stream ends with a goaway event. */
  shutdown?: AbortSignal | undefined;
  /** Called once when the stream ends, however it ends. */
  onClose?: () => void;
}

export function goawayEvent(namespace: string): string {
  return `retry: ${GOAWAY_RETRY_MS}\ndata: ${JSON.stringify({ type: 'goaway', namespace })}\n\n`;
}

export function versionEvent(namespace: string, etag: string, lastModifiedSeconds: number): string {
  const data = JSON.stringify({
    type: 'refetchEvaluation',
    namespace,
    etag,
    lastModified: lastModifiedSeconds,
  });
  return `id: ${etag}\ndata: ${data}\n\n`;
}

export function revisionEvent(namespace: string, revision: string): string {
  return `event: revision\ndata: ${JSON.stringify({ type: 'revision', namespace, revision })}\n\n`;
}

export function openSnapshotStream(
  source: SnapshotSource,
  options: SnapshotStreamOptions,
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const { namespace, signal, shutdown } = options;
  let sent = options.lastEventId || undefined;
  let sentRevision = source.current().namespace(namespace)?.revision;
  let cleanup = (): void => {};

  return new ReadableStream<Uint8Array>({
    start(controller) {
      let done = false;
      const send = (text: string): void => {
        if (done) return;
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          cleanup();
        }
      };
      // Only a change of this namespace's ETag or revision is an event; swaps of other namespaces
      // are not.
      const offer = (snapshot: Snapshot): void => {
        const served = snapshot.namespace(namespace);
        const etag = served?.etag ?? '';
        const revision = served?.revision;
        let text = '';
        if (etag !== sent) {
          sent = etag;
          text += versionEvent(namespace, etag, Math.floor(Date.now() / 1000));
        }
        if (revision !== undefined && revision !== sentRevision) {
          sentRevision = revision;
          text += revisionEvent(namespace, revision);
        }
        if (text !== '') send(text);
      };

      const unsubscribe = source.onChange(offer);
      const heartbeat = setInterval(
        () => send(': heartbeat\n\n'),
        options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
      );
      cleanup = () => {
        if (done) return;
        done = true;
        options.onClose?.();
        unsubscribe();
        clearInterval(heartbeat);
        signal?.removeEventListener('abort', onAbort);
        shutdown?.removeEventListener('abort', onShutdown);
        try {
          controller.close();
        } catch {
          // Already closed or errored by the runtime.
        }
      };
      const onAbort = (): void => cleanup();
      const onShutdown = (): void => {
        send(goawayEvent(namespace));
        cleanup();
      };
      signal?.addEventListener('abort', onAbort);
      if (signal?.aborted) return cleanup();
      if (shutdown?.aborted) return onShutdown();
      shutdown?.addEventListener('abort', onShutdown);

      // The comment makes proxies and the client see the response start even when no event is due.
      send(`retry: ${RETRY_MS}\n: connected\n\n`);
      offer(source.current());
    },
    cancel() {
      cleanup();
    },
  });
}
