import { GZIP_MIN_BYTES, gzipBytes } from '@ensign/core';
import type { Hono } from 'hono';
import type { ClientSnapshotBody } from '../../service/client-snapshot.ts';
import type { HttpDeps } from '../deps.ts';
import { acceptsGzip } from '../respond.ts';

// GET /internal/v1/evaluation/snapshot/namespace/{key}: what client SDKs poll (docs/client-snapshot.md).
// The service hands back the body serialised once per snapshot version and gate; the gzipped
// form is cached beside it, so a poll costs a lookup. The ETag is Flipt's: unquoted, on the
// 200 and on the 304, compared exactly.

export function registerSnapshotRoutes(app: Hono, deps: HttpDeps): void {
  const { clientSnapshot } = deps.services;
  const gzipped = new WeakMap<ClientSnapshotBody, Promise<Uint8Array<ArrayBuffer>>>();

  app.get('/internal/v1/evaluation/snapshot/namespace/:key', async (c) => {
    const result = clientSnapshot.get({
      key: c.req.param('key'),
      acceptServerVersion: c.req.header('x-flipt-accept-server-version'),
      ifNoneMatch: c.req.header('if-none-match'),
    });
    const headers: Record<string, string> = result.etag ? { etag: result.etag } : {};
    if (result.notModified) return new Response(null, { status: 304, headers });
    headers['content-type'] = 'application/json';
    const body = result.body;
    if (body.json.length >= GZIP_MIN_BYTES && acceptsGzip(c)) {
      let bytes = gzipped.get(body);
      if (!bytes) {
        bytes = gzipBytes(body.json);
        gzipped.set(body, bytes);
      }
      headers['content-encoding'] = 'gzip';
      headers['vary'] = 'Accept-Encoding';
      return new Response(await bytes, { status: 200, headers });
    }
    return new Response(body.json, { status: 200, headers });
  });
}
