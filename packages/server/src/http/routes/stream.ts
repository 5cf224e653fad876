import type { Hono } from 'hono';
import { requireNamespaceAccess } from '../../auth/index.ts';
import { DEFAULT_HEARTBEAT_MS, openSnapshotStream } from '../../service/stream.ts';
import type { SnapshotSource } from '../../storage/contract.ts';
import { fliptError } from '../respond.ts';
import type { StreamSlots } from '../stream-slots.ts';

// GET /internal/v1/evaluation/snapshot/namespace/{key}/stream: push for client-side evaluation.
// An Ensign extension beside the snapshot endpoint Flipt clients poll; format in service/stream.ts.
// A client that gets 404 here (Flipt, older Ensign) keeps polling.

export const STREAM_PATH = '/internal/v1/evaluation/snapshot/namespace/:key/stream';

export { streamPathOf } from '@ensign/core';

export interface StreamRouteDeps {
  source: SnapshotSource;
  /** Comment-line interval keeping idle connections (and proxies) alive; tests shorten it. */
  heartbeatMs?: number | undefined;
  /** Aborted when the server shuts down: open streams end with a goaway event. */
  shutdown?: AbortSignal | undefined;
  /** Caps on open streams (server.limits.max_change_streams*). */
  slots: StreamSlots;
}

/** The peer's address: node:http requests carry their socket (@hono/node-server's env). */
function clientAddress(env: unknown): string {
  const incoming = (env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  return incoming?.socket?.remoteAddress ?? 'unknown';
}

const STREAM_HEADERS = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  // nginx and similar buffer responses unless told otherwise, which would hold events back.
  'x-accel-buffering': 'no',
};

export function registerStreamRoutes(app: Hono, deps: StreamRouteDeps): void {
  const heartbeatMs = deps.heartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  app.get(STREAM_PATH, (c) => {
    const namespace = c.req.param('key');
    // A namespace-scoped token may follow its own namespace only.
    requireNamespaceAccess(namespace);
    if (!deps.source.current().namespace(namespace)) {
      return fliptError(c, 404, 5, `namespace "${namespace}" not found`);
    }
    // HEAD gets the headers alone: nobody reads a HEAD body, so a stream opened for it would
    // never be cancelled and its heartbeat timer would live forever. Nor does it take a slot.
    if (c.req.method === 'HEAD') return new Response(null, { status: 200, headers: STREAM_HEADERS });
    const body = openSnapshotStream(deps.source, {
      namespace,
      lastEventId: c.req.header('last-event-id'),
      heartbeatMs,
      signal: c.req.raw.signal,
      shutdown: deps.shutdown,
      onClose: deps.slots.take(clientAddress(c.env)),
    });
    return new Response(body, { status: 200, headers: STREAM_HEADERS });
  });
}
