import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type RunningServer, startServer } from '../../src/run.ts';

// A web page on another site must not be able to change flags. Browsers send a text/plain, form
// or type-less POST cross-site without asking; anything else needs a CORS preflight, which the
// cors.* keys answer. So management writes take JSON only (415 otherwise, in Flipt's error
// shape), on the REST port and on the gRPC port's Connect/gRPC-Web paths, and origins not allowed
// get no CORS grant. Evaluation stays lenient: Flipt's REST SDK posts JSON as text/plain.

const EVIL = 'https://evil.example';
const GOOD = 'https://good.example';

async function serve(dir: string, cors?: string[]): Promise<RunningServer> {
  const { config } = loadConfig({ env: {} });
  config.server.host = '127.0.0.1';
  config.server.httpPort = 0;
  config.server.grpcPort = 0;
  config.db.url = `file:${join(dir, `flags-${cors ? 'cors' : 'plain'}.db`)}`;
  if (cors) {
    config.cors.enabled = true;
    config.cors.allowedOrigins = cors;
  }
  return startServer(config, { logger: silentLogger(), shutdownGracePeriodMs: 500 });
}

const segment = (key: string) => JSON.stringify({ key, name: key, matchType: 'ALL_MATCH_TYPE' });

describe('cross-site writes', () => {
  let dir: string;
  let plain: RunningServer;
  let withCors: RunningServer;
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'ensign-cross-site-'));
    plain = await serve(dir);
    withCors = await serve(dir, [GOOD]);
  });
  after(async () => {
    await plain?.close();
    await withCors?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('refuse bodies not declared as JSON with a 415 in Flipt error shape, and change nothing', async () => {
    const attempts: [string, Record<string, string>][] = [
      ['text_plain', { 'content-type': 'text/plain;charset=UTF-8' }],
      ['form', { 'content-type': 'application/x-www-form-urlencoded' }],
      ['multipart', { 'content-type': 'multipart/form-data; boundary=x' }],
      ['untyped', {}],
    ];
    for (const server of [plain, withCors]) {
      for (const [key, headers] of attempts) {
        const res = await fetch(`${server.url}/api/v1/namespaces/default/segments`, {
          method: 'POST',
          headers: { origin: EVIL, ...headers },
          body: new TextEncoder().encode(segment(key)),
        });
        assert.equal(res.status, 415, key);
        const body = (await res.json()) as { code: number; message: string; details: unknown[] };
        assert.equal(body.code, 3);
        assert.match(body.message, /^unsupported content type .*: writes take application\/json$/);
        assert.deepEqual(body.details, []);
        const read = await fetch(`${server.url}/api/v1/namespaces/default/segments/${key}`);
        assert.equal(read.status, 404, `${key} was not created`);
      }
      const put = await fetch(`${server.url}/api/v1/namespaces/default`, {
        method: 'PUT',
        headers: { 'content-type': 'text/plain' },
        body: JSON.stringify({ name: 'Renamed' }),
      });
      assert.equal(put.status, 415);
    }
  });

  it('accept application/json writes, with parameters', async () => {
    const res = await fetch(`${plain.url}/api/v1/namespaces/default/segments`, {
      method: 'POST',
      headers: { 'content-type': 'Application/JSON; charset=utf-8' },
      body: segment('json_ok'),
    });
    assert.equal(res.status, 200);
  });

  it('keep evaluation lenient: JSON sent as text/plain still evaluates', async () => {
    for (const path of ['/evaluate/v1/boolean', '/evaluate/v1/boolean?pretty']) {
      const res = await fetch(`${plain.url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'text/plain;charset=UTF-8' },
        body: JSON.stringify({ flagKey: 'missing', entityId: 'e' }),
      });
      assert.equal(res.status, 404, path);
    }
  });

  it('grant CORS only to configured origins, on the fast and the full HTTP path', async () => {
    const preflight = (server: RunningServer, origin: string) =>
      fetch(`${server.url}/api/v1/namespaces/default/segments`, {
        method: 'OPTIONS',
        headers: {
          origin,
          'access-control-request-method': 'POST',
          'access-control-request-headers': 'content-type',
        },
      });
    assert.equal((await preflight(withCors, GOOD)).headers.get('access-control-allow-origin'), GOOD);
    assert.equal((await preflight(withCors, EVIL)).headers.get('access-control-allow-origin'), null);
    assert.equal((await preflight(plain, EVIL)).headers.get('access-control-allow-origin'), null);

    // The evaluation fast path (CORS off) and the Hono path (?pretty; CORS on) alike.
    for (const [server, origin, expected] of [
      [plain, EVIL, null],
      [withCors, EVIL, null],
      [withCors, GOOD, GOOD],
    ] as const) {
      for (const path of ['/evaluate/v1/boolean', '/evaluate/v1/boolean?pretty']) {
        const res = await fetch(`${server.url}${path}`, {
          method: 'POST',
          headers: { origin, 'content-type': 'application/json' },
          body: JSON.stringify({ flagKey: 'missing', entityId: 'e' }),
        });
        await res.arrayBuffer();
        assert.equal(res.headers.get('access-control-allow-origin'), expected, `${origin} ${path}`);
      }
    }
  });

  it('refuse non-JSON Connect writes on the gRPC port, and grant no CORS there', async () => {
    const grpcBase = `http://127.0.0.1:${plain.grpcPort}`;
    const res = await fetch(`${grpcBase}/flipt.Flipt/CreateSegment`, {
      method: 'POST',
      headers: { origin: EVIL, 'content-type': 'text/plain;charset=UTF-8' },
      body: JSON.stringify({
        namespaceKey: 'default',
        key: 'via_connect',
        name: 'x',
        matchType: 'ALL_MATCH_TYPE',
      }),
    });
    await res.arrayBuffer();
    assert.equal(res.status, 415);
    const read = await fetch(`${plain.url}/api/v1/namespaces/default/segments/via_connect`);
    assert.equal(read.status, 404);
    const preflight = await fetch(`${grpcBase}/flipt.Flipt/CreateSegment`, {
      method: 'OPTIONS',
      headers: { origin: EVIL, 'access-control-request-method': 'POST' },
    });
    await preflight.arrayBuffer();
    assert.equal(preflight.headers.get('access-control-allow-origin'), null);
  });
});
