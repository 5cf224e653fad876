import assert from 'node:assert/strict';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { createApp } from '../../src/http/app.ts';
import { createNodeListener } from '../../src/http/node-listener.ts';
import type { SnapshotSource } from '../../src/storage/contract.ts';
import { appOver, type Served, serveOver } from './support/app.ts';
import { type Body, READONLY_FILES, staticSource, testConfig, testLogger } from './support/static-source.ts';

// The node listener answers POST /evaluate/v1/variant|boolean itself, without Hono (see
// node-listener.ts). Whatever a client sends, it must answer exactly what the Hono route answers:
// same status, same content-type, same body apart from the per-request fields.

const LIMIT = 2048;
const VOLATILE = ['requestId', 'timestamp', 'requestDurationMillis'];

interface Answer {
  status: number;
  contentType: string | undefined;
  text: string;
}

interface Sent {
  path: string;
  body?: string | Buffer;
  headers?: Record<string, string>;
  /** Send the body as chunked transfer encoding (no Content-Length). */
  chunked?: boolean;
}

/** A raw node:http request, so headers (or their absence) are exactly what the case says. */
function overSocket(base: string, sent: Sent): Promise<Answer> {
  const url = new URL(sent.path, base);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string | number> = { ...sent.headers };
    const body = sent.body === undefined ? undefined : Buffer.from(sent.body);
    if (!sent.chunked) headers['content-length'] = body?.byteLength ?? 0;
    const req = httpRequest(url, { method: 'POST', headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          contentType: res.headers['content-type'],
          text: Buffer.concat(chunks).toString('utf8'),
        }),
      );
      res.on('error', reject);
    });
    // The server may answer 413 and stop reading before the whole body is written.
    req.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE' && error.code !== 'ECONNRESET') reject(error);
    });
    if (body && sent.chunked) {
      for (let i = 0; i < body.byteLength; i += 512) req.write(body.subarray(i, i + 512));
      req.end();
    } else req.end(body);
  });
}

async function inProcess(app: ReturnType<typeof createApp>, sent: Sent): Promise<Answer> {
  const headers = new Headers(sent.headers);
  let body: BodyInit | undefined;
  if (sent.body !== undefined) {
    const bytes = Buffer.from(sent.body);
    if (sent.chunked) {
      body = new ReadableStream<Uint8Array>({
        start(controller) {
          for (let i = 0; i < bytes.byteLength; i += 512) controller.enqueue(bytes.subarray(i, i + 512));
          controller.close();
        },
      });
    } else {
      body = bytes;
      headers.set('content-length', String(bytes.byteLength));
    }
  }
  const res = await app.request(sent.path, {
    method: 'POST',
    headers,
    ...(body === undefined ? {} : { body }),
    ...(sent.chunked ? { duplex: 'half' } : {}),
  } as RequestInit);
  return {
    status: res.status,
    contentType: res.headers.get('content-type') ?? undefined,
    text: await res.text(),
  };
}

function parsed(answer: Answer, keepVolatile: readonly string[] = []): Body {
  const body = JSON.parse(answer.text) as Body;
  for (const field of VOLATILE) if (!keepVolatile.includes(field)) delete body[field];
  return body;
}

let served: Served;
let app: ReturnType<typeof createApp>;
before(async () => {
  served = await serveOver(READONLY_FILES, { maxBodyBytes: LIMIT });
  app = appOver(READONLY_FILES, { maxBodyBytes: LIMIT }).app;
});
after(async () => {
  await served.close();
});

/** Sends the same request both ways and checks they agree; returns the socket's answer. */
async function same(sent: Sent, keepVolatile: readonly string[] = []): Promise<Answer> {
  const fast = await overSocket(served.url, sent);
  const hono = await inProcess(app, sent);
  assert.equal(fast.status, hono.status, `status for ${JSON.stringify(sent.body)?.slice(0, 80)}`);
  assert.equal(fast.contentType, hono.contentType);
  assert.deepEqual(parsed(fast, keepVolatile), parsed(hono, keepVolatile));
  return fast;
}

const MATCH = {
  namespaceKey: 'default',
  flagKey: 'flag_001',
  entityId: 'some-fixed-entity-id',
  context: { in_segment: 'segment_005' },
};
const variant = (body: unknown, headers: Record<string, string> = {}): Sent => ({
  path: '/evaluate/v1/variant',
  body: typeof body === 'string' ? body : JSON.stringify(body),
  headers: { 'content-type': 'application/json', ...headers },
});
const boolean = (body: unknown): Sent => ({ ...variant(body), path: '/evaluate/v1/boolean' });

describe('evaluation fast path matches the Hono routes', () => {
  it('a variant match', async () => {
    const fast = await same(variant(MATCH));
    assert.equal(fast.status, 200);
    assert.equal(fast.contentType, 'application/json');
    const body = parsed(fast, VOLATILE);
    assert.equal(body.match, true);
    assert.equal(body.variantKey, 'variant_002');
    assert.deepEqual(body.segmentKeys, ['segment_005']);
    assert.equal(body.reason, 'MATCH_EVALUATION_REASON');
    assert.match(body.requestId, /^[0-9a-f-]{36}$/);
    assert.equal(typeof body.requestDurationMillis, 'number');
    assert.ok(!Number.isNaN(Date.parse(body.timestamp)));
  });

  it('a boolean evaluation', async () => {
    const fast = await same(
      boolean({ flagKey: 'flag_boolean', entityId: 'e', context: { in_segment: 'segment_001' } }),
    );
    assert.equal(fast.status, 200);
    const body = parsed(fast);
    assert.equal(body.enabled, true);
    assert.equal(body.reason, 'MATCH_EVALUATION_REASON');
  });

  it('snake_case field names', async () => {
    const fast = await same(
      variant({
        namespace_key: 'default',
        flag_key: 'flag_001',
        entity_id: 'some-fixed-entity-id',
        context: { in_segment: 'segment_005' },
      }),
    );
    assert.equal(fast.status, 200);
    assert.equal(parsed(fast).variantKey, 'variant_002');
  });

  it('a text/plain body is still JSON', async () => {
    const fast = await same(variant(MATCH, { 'content-type': 'text/plain;charset=UTF-8' }));
    assert.equal(fast.status, 200);
    assert.equal(parsed(fast).variantKey, 'variant_002');
  });

  it('no content-type at all', async () => {
    const fast = await same({ path: '/evaluate/v1/variant', body: JSON.stringify(MATCH) });
    assert.equal(parsed(fast).variantKey, 'variant_002');
  });

  it('an empty body is an empty request (flag "" not found)', async () => {
    const fast = await same({
      path: '/evaluate/v1/variant',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(fast.status, 404);
    assert.deepEqual(parsed(fast), { code: 5, message: 'flag "default/" not found', details: [] });
  });

  it('invalid JSON', async () => {
    const fast = await same(variant('{"flagKey": '));
    assert.equal(fast.status, 400);
    assert.equal(parsed(fast).code, 3);
  });

  it('a JSON type mismatch ({"flagKey": 5})', async () => {
    const fast = await same(variant('{"flagKey": 5}'));
    assert.equal(fast.status, 400);
    assert.equal(parsed(fast).code, 3);
  });

  it('a JSON array or scalar instead of an object', async () => {
    for (const body of ['[]', '"x"', 'null', '42']) {
      await same(variant(body));
    }
  });

  it('an unknown flag: 404 with Flipt message', async () => {
    const fast = await same(variant({ flagKey: 'nope', entityId: 'e' }));
    assert.equal(fast.status, 404);
    assert.deepEqual(parsed(fast), { code: 5, message: 'flag "default/nope" not found', details: [] });
  });

  it('the wrong flag type: 400 both ways', async () => {
    const v = await same(variant({ flagKey: 'flag_boolean', entityId: 'e' }));
    assert.equal(v.status, 400);
    assert.equal(parsed(v).code, 3);
    const b = await same(boolean({ flagKey: 'flag_001', entityId: 'e' }));
    assert.equal(b.status, 400);
    assert.equal(parsed(b).code, 3);
  });

  it('a body over the limit: 413 with Content-Length and chunked', async () => {
    const big = JSON.stringify({ ...MATCH, context: { pad: 'x'.repeat(LIMIT) } });
    const declared = await same(variant(big));
    assert.equal(declared.status, 413);
    assert.deepEqual(parsed(declared), {
      code: 8,
      message: `request body too large: limit is ${LIMIT} bytes`,
      details: [],
    });
    const chunked = await same({ ...variant(big), chunked: true });
    assert.equal(chunked.status, 413);
    assert.equal(parsed(chunked).message, `request body too large: limit is ${LIMIT} bytes`);
    // A chunked body under the limit is fine.
    const small = await same({ ...variant(MATCH), chunked: true });
    assert.equal(small.status, 200);
  });

  it('namespace "production"', async () => {
    const fast = await same(
      variant({ ...MATCH, namespaceKey: 'production', context: { in_segment: 'segment_001' } }),
    );
    assert.equal(fast.status, 200);
    assert.equal(parsed(fast).match, true);
    const missing = await same(variant({ namespaceKey: 'production', flagKey: 'nope' }));
    assert.equal(parsed(missing).message, 'flag "production/nope" not found');
  });

  it('a requestId is echoed', async () => {
    const fast = await same(variant({ ...MATCH, requestId: 'req-123' }), ['requestId']);
    assert.equal(parsed(fast, ['requestId']).requestId, 'req-123');
    const b = await same(boolean({ flagKey: 'flag_boolean', entityId: 'e', requestId: 'req-456' }), [
      'requestId',
    ]);
    assert.equal(parsed(b, ['requestId']).requestId, 'req-456');
  });

  it('?pretty still indents (served by Hono)', async () => {
    const fast = await overSocket(served.url, { ...variant(MATCH), path: '/evaluate/v1/variant?pretty' });
    assert.equal(fast.status, 200);
    assert.match(fast.text, /^\{\n {2}"match": true,/);
    const hono = await inProcess(app, { ...variant(MATCH), path: '/evaluate/v1/variant?pretty' });
    assert.deepEqual(parsed(fast), parsed(hono));
  });

  it('Accept: application/json+pretty indents like the Hono route', async () => {
    const sent = variant(MATCH, { accept: 'application/json+pretty' });
    const hono = await inProcess(app, sent);
    assert.match(hono.text, /^\{\n {2}"match": true,/);
    const fast = await overSocket(served.url, sent);
    assert.match(fast.text, /^\{\n {2}"match": true,/);
  });
});

describe('a server error in the fast path', () => {
  it('is logged once and answered 500 in Flipt shape, like the Hono route', async () => {
    // A source whose snapshot read fails unexpectedly (as a bug in a backend would).
    const inner = staticSource(READONLY_FILES);
    let broken = false;
    const source: SnapshotSource = {
      ...inner,
      current: () => {
        if (broken) throw new Error('snapshot exploded');
        return inner.current();
      },
    };
    const logger = testLogger();
    const server = createServer(createNodeListener({ source, config: testConfig(), logger }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const honoLogger = testLogger();
    const honoApp = createApp({ source, config: testConfig(), logger: honoLogger });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      broken = true;
      const fast = await overSocket(url, variant(MATCH));
      const hono = await inProcess(honoApp, variant(MATCH));
      broken = false;
      assert.equal(fast.status, 500);
      assert.equal(fast.contentType, 'application/json');
      assert.deepEqual(JSON.parse(fast.text), { code: 13, message: 'internal error', details: [] });
      assert.equal(hono.status, 500);
      assert.equal(hono.contentType, fast.contentType);
      assert.deepEqual(JSON.parse(hono.text), JSON.parse(fast.text));
      assert.equal(logger.errors.length, 1, 'logged exactly once');
      assert.match(String((logger.errors[0] as { err: Error }).err.message), /snapshot exploded/);
      assert.equal(honoLogger.errors.length, 1);
      // The listener keeps serving afterwards.
      const ok = await overSocket(url, variant(MATCH));
      assert.equal(ok.status, 200);
      assert.equal(logger.errors.length, 1);
      // Client mistakes are not logged as server errors.
      await overSocket(url, variant('{'));
      await overSocket(url, variant({ flagKey: 'nope' }));
      assert.equal(logger.errors.length, 1);
    } finally {
      broken = false;
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});

describe('the Hono app, loaded on first use', () => {
  it('answers /health before it loads, like the Hono route, and every request sent while it loads', async () => {
    const source = staticSource(READONLY_FILES);
    const server = createServer(createNodeListener({ source, config: testConfig(), logger: testLogger() }));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const honoApp = createApp({ source, config: testConfig(), logger: testLogger() });
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const health = await fetch(`${url}/health`);
      const viaHono = await honoApp.request('/health');
      assert.equal(health.status, 200);
      assert.equal(health.headers.get('content-type'), viaHono.headers.get('content-type'));
      assert.deepEqual(await health.json(), await viaHono.json());
      // The first requests that need the app arrive together, before it has loaded.
      const answers = await Promise.all(
        Array.from({ length: 8 }, () => fetch(`${url}/api/v1/namespaces/default/flags?limit=1`)),
      );
      for (const answer of answers) {
        assert.equal(answer.status, 200);
        assert.equal(((await answer.json()) as { flags: unknown[] }).flags.length, 1);
      }
    } finally {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });
});
