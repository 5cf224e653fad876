import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { appOver } from './support/app.ts';
import { type Body, READONLY_FILES } from './support/static-source.ts';

// Wire conventions Flipt's clients rely on (docs/http-api.md).

const { app, logger } = appOver(READONLY_FILES, { maxBodyBytes: 4096 });
const VARIANT = {
  flagKey: 'flag_001',
  entityId: 'some-fixed-entity-id',
  context: { in_segment: 'segment_005' },
};

describe('request bodies', () => {
  it('accepts JSON sent as text/plain (the @flipt-io/flipt SDK does) and with no type', async () => {
    for (const type of ['text/plain;charset=UTF-8', undefined]) {
      const res = await app.request('/evaluate/v1/variant', {
        method: 'POST',
        body: JSON.stringify(VARIANT),
        headers: type ? { 'content-type': type } : {},
      });
      assert.equal(res.status, 200);
      assert.equal(((await res.json()) as Body).variantKey, 'variant_002');
    }
  });

  it('accepts snake_case field names and ignores unknown fields', async () => {
    const res = await app.request('/evaluate/v1/variant', {
      method: 'POST',
      body: JSON.stringify({
        flag_key: 'flag_001',
        entity_id: 'some-fixed-entity-id',
        namespace_key: 'production',
        context: { in_segment: 'segment_005' },
        request_id: 'mine',
        surprise: { nested: [1, 2] },
      }),
    });
    const body = (await res.json()) as Body;
    assert.equal(res.status, 200);
    assert.equal(body.variantKey, 'variant_002');
    assert.equal(body.requestId, 'mine');
  });

  it('rejects a type mismatch and malformed JSON with 400 Flipt errors', async () => {
    const mismatch = await app.request('/evaluate/v1/variant', {
      method: 'POST',
      body: JSON.stringify({ flagKey: 42, entityId: 'e' }),
    });
    assert.equal(mismatch.status, 400);
    assert.deepEqual(await mismatch.json(), {
      code: 3,
      message: 'invalid values for key(s) in json body',
      details: [],
    });
    const ctx = await app.request('/evaluate/v1/variant', {
      method: 'POST',
      body: JSON.stringify({ flagKey: 'flag_001', context: { n: 1 } }),
    });
    assert.equal(ctx.status, 400);
    const malformed = await app.request('/evaluate/v1/variant', { method: 'POST', body: '{"flagKey":' });
    assert.equal(malformed.status, 400);
    const body = (await malformed.json()) as Body;
    assert.equal(body.code, 3);
    assert.deepEqual(body.details, []);
  });

  it('treats an empty body as an empty request', async () => {
    const res = await app.request('/evaluate/v1/variant', { method: 'POST' });
    assert.equal(res.status, 404);
    assert.equal(((await res.json()) as Body).message, 'flag "default/" not found');
  });

  it('answers 413 in Flipt shape for bodies over the limit', async () => {
    const big = JSON.stringify({ ...VARIANT, context: { pad: 'x'.repeat(5000) } });
    const res = await app.request('/evaluate/v1/variant', { method: 'POST', body: big });
    assert.equal(res.status, 413);
    const body = (await res.json()) as Body;
    assert.equal(body.code, 8);
    assert.deepEqual(body.details, []);
    // Also without a Content-Length (chunked upload).
    const stream = new ReadableStream({
      start(controller) {
        controller.enqueue(new TextEncoder().encode(big));
        controller.close();
      },
    });
    const chunked = await app.request('/evaluate/v1/variant', {
      method: 'POST',
      body: stream,
      duplex: 'half',
    } as RequestInit);
    assert.equal(chunked.status, 413);
  });
});

describe('paths', () => {
  it('an empty namespace segment (//) means default, also for legacy evaluate', async () => {
    const flag = await app.request('/api/v1/namespaces//flags/flag_013');
    assert.equal(flag.status, 200);
    assert.equal(((await flag.json()) as Body).namespaceKey, 'default');
    const evaluated = await app.request('/api/v1/namespaces//evaluate', {
      method: 'POST',
      body: JSON.stringify(VARIANT),
    });
    assert.equal(((await evaluated.json()) as Body).namespaceKey, 'default');
  });

  it('tolerates trailing slashes', async () => {
    assert.equal((await app.request('/api/v1/namespaces/default/flags/')).status, 200);
    const res = await app.request('/evaluate/v1/variant/', { method: 'POST', body: JSON.stringify(VARIANT) });
    assert.equal(res.status, 200);
  });

  it('legacy non-namespaced aliases act on default', async () => {
    const flags = (await (await app.request('/api/v1/flags?limit=1')).json()) as Body;
    assert.equal(flags.flags[0].namespaceKey, 'default');
    assert.equal(flags.totalCount, 57);
    assert.equal((await app.request('/api/v1/segments/segment_001')).status, 200);
  });

  it('unknown routes are 404 and wrong methods 405, both Flipt-shaped', async () => {
    const missing = await app.request('/api/v2/nothing');
    assert.equal(missing.status, 404);
    assert.deepEqual(await missing.json(), { code: 5, message: 'Not Found', details: [] });
    const wrong = await app.request('/evaluate/v1/variant');
    assert.equal(wrong.status, 405);
    assert.match(wrong.headers.get('allow') ?? '', /POST/);
    assert.equal(((await wrong.json()) as Body).message, 'Method Not Allowed');
  });

  it('?pretty indents', async () => {
    const text = await (await app.request('/api/v1/namespaces?pretty')).text();
    assert.match(text, /^\{\n {2}"namespaces"/);
  });
});

describe('read-only writes', () => {
  it('every write route answers Flipt read-only error', async () => {
    const writes = app.routes.filter(
      (r) => ['POST', 'PUT', 'DELETE'].includes(r.method) && r.path.startsWith('/api/v1'),
    );
    const paths = new Set<string>();
    for (const route of writes) {
      if (/evaluate/.test(route.path)) continue;
      const path = route.path.replace(/:namespaceKey/g, 'default').replace(/:[A-Za-z]+/g, 'x');
      paths.add(`${route.method} ${route.path}`);
      const res = await app.request(path, {
        method: route.method,
        headers: { 'content-type': 'application/json' },
        body: route.method === 'DELETE' ? undefined : JSON.stringify({ key: 'k', name: 'n' }),
      });
      assert.equal(res.status, 500, `${route.method} ${path}`);
      assert.deepEqual(
        await res.json(),
        { code: 13, message: 'modification is not allowed in read-only mode', details: [] },
        `${route.method} ${path}`,
      );
    }
    // Namespaces, flags, variants, segments, constraints, rules (+order), distributions,
    // rollouts (+order): namespaced and legacy.
    assert.equal(paths.size, 45);
    assert.ok(paths.has('PUT /api/v1/namespaces/:namespaceKey/flags/:flagKey/rollouts/order'));
    assert.ok(paths.has('DELETE /api/v1/flags/:flagKey/rules/:ruleId/distributions/:id'));
  });

  it('a malformed write body is still the client mistake (400)', async () => {
    const res = await app.request('/api/v1/namespaces/default/flags', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    assert.equal(res.status, 400);
  });
});

describe('CORS and compression', () => {
  const withCors = appOver(READONLY_FILES, { cors: true }).app;

  it('answers preflights per config', async () => {
    const res = await withCors.request('/evaluate/v1/variant', {
      method: 'OPTIONS',
      headers: {
        origin: 'https://app.example',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'x-flipt-accept-server-version, if-none-match',
      },
    });
    assert.equal(res.status, 204);
    assert.equal(res.headers.get('access-control-allow-origin'), 'https://app.example');
    assert.equal(res.headers.get('access-control-allow-credentials'), 'true');
    assert.equal(res.headers.get('access-control-max-age'), '300');
    assert.match(res.headers.get('access-control-allow-methods') ?? '', /PUT/);
    assert.match(res.headers.get('access-control-allow-headers') ?? '', /X-Flipt-Accept-Server-Version/i);
    const actual = await withCors.request('/api/v1/namespaces', {
      headers: { origin: 'https://app.example' },
    });
    assert.match(actual.headers.get('access-control-expose-headers') ?? '', /ETag/);
  });

  it('sends no CORS headers when disabled', async () => {
    const res = await app.request('/api/v1/namespaces', { headers: { origin: 'https://app.example' } });
    assert.equal(res.headers.get('access-control-allow-origin'), null);
  });

  it('gzips large bodies when asked, not small ones', async () => {
    const plain = await (await app.request('/api/v1/namespaces/default/flags')).text();
    const res = await app.request('/api/v1/namespaces/default/flags', {
      headers: { 'accept-encoding': 'gzip' },
    });
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    const bytes = Buffer.from(await res.arrayBuffer());
    assert.equal(gunzipSync(bytes).toString('utf8'), plain);
    const small = await app.request('/api/v1/namespaces/production', {
      headers: { 'accept-encoding': 'gzip' },
    });
    assert.equal(small.headers.get('content-encoding'), null);
  });
});

describe('client snapshot endpoint', () => {
  const path = '/internal/v1/evaluation/snapshot/namespace/default';

  it('serves the document with an unquoted ETag; If-None-Match gets 304 with the ETag', async () => {
    const res = await app.request(path, { headers: { 'x-flipt-accept-server-version': '1.47.0' } });
    assert.equal(res.status, 200);
    const etag = res.headers.get('etag');
    assert.match(etag ?? '', /^[0-9a-f]{40}$/);
    const doc = (await res.json()) as Body;
    assert.equal(doc.namespace.key, 'default');
    assert.equal(doc.flags.length, 57);

    const again = await app.request(path, { headers: { 'if-none-match': etag! } });
    assert.equal(again.status, 304);
    assert.equal(again.headers.get('etag'), etag);
    assert.equal(await again.text(), '');
  });

  it('answers If-None-Match per RFC 9110: quoted, weak, lists and * give 304; others 200', async () => {
    const etag = (await app.request(path)).headers.get('etag')!;
    const status = async (ifNoneMatch: string) =>
      (await app.request(path, { headers: { 'if-none-match': ifNoneMatch } })).status;
    assert.equal(await status(`"${etag}"`), 304, 'quoted, as proxies and browsers send it');
    assert.equal(await status(`W/"${etag}"`), 304, 'weak comparison');
    assert.equal(await status(`"stale", "${etag}"`), 304, 'a list');
    assert.equal(await status('*'), 304);
    assert.equal(await status('"stale"'), 200);
    assert.equal(await status(`"${etag}x"`), 200);
  });

  it('gates defaultVariant and ENTITY_ID on X-Flipt-Accept-Server-Version', async () => {
    const find = (doc: Body, key: string) => doc.flags.find((f: Body) => f.key === key);
    const entityType = (doc: Body) =>
      find(doc, 'flag_using_entity_id').rules[0].segments[0].constraints[0].type;
    const old = (await (await app.request(path)).json()) as Body;
    assert.equal(entityType(old), 'UNKNOWN_CONSTRAINT_COMPARISON_TYPE');
    assert.ok(old.flags.every((f: Body) => !('defaultVariant' in f)));
    const current = (await (
      await app.request(path, { headers: { 'x-flipt-accept-server-version': '1.47.0' } })
    ).json()) as Body;
    assert.equal(entityType(current), 'ENTITY_ID_CONSTRAINT_COMPARISON_TYPE');
  });

  it('sends defaultVariant only from 1.47.0 on', async () => {
    const { app: withDefault } = appOver([
      fileURLToPath(new URL('./support/fixtures/default-variant.yml', import.meta.url)),
    ]);
    const fetchDoc = async (version?: string) =>
      (await (
        await withDefault.request(path, {
          headers: version ? { 'x-flipt-accept-server-version': version } : {},
        })
      ).json()) as Body;
    assert.equal((await fetchDoc()).flags[0].defaultVariant, undefined);
    assert.equal((await fetchDoc('1.46.9')).flags[0].defaultVariant, undefined);
    assert.equal((await fetchDoc('1.47.0')).flags[0].defaultVariant.key, 'fallback');
    assert.equal((await fetchDoc('v1.61.1')).flags[0].defaultVariant.key, 'fallback');
  });

  it('emits empty distributions and constraints, and the path key as namespace.key', async () => {
    const doc = (await (
      await app.request('/internal/v1/evaluation/snapshot/namespace/production')
    ).json()) as Body;
    assert.equal(doc.namespace.key, 'production');
    const noDist = doc.flags.find((f: Body) => f.key === 'flag_no_distributions');
    assert.deepEqual(noDist.rules[0].distributions, []);
    const noConstraints = doc.flags
      .find((f: Body) => f.key === 'flag_boolean_no_constraints')
      .rollouts[0].segment.segments.find((s: Body) => s.key === 'segment_no_constraints');
    assert.deepEqual(noConstraints.constraints, []);
  });

  it('is 404 for an unknown namespace', async () => {
    const res = await app.request('/internal/v1/evaluation/snapshot/namespace/nope');
    assert.equal(res.status, 404);
    assert.deepEqual(await res.json(), { code: 5, message: 'namespace "nope" not found', details: [] });
  });

  it('gzips the cached document and keeps the ETag strong', async () => {
    const res = await app.request(path, { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(res.headers.get('content-encoding'), 'gzip');
    assert.match(res.headers.get('etag') ?? '', /^[0-9a-f]{40}$/);
    const doc = JSON.parse(gunzipSync(Buffer.from(await res.arrayBuffer())).toString('utf8'));
    assert.equal(doc.namespace.key, 'default');
  });
});

describe('ops', () => {
  it('/health is 200 with storage state, also when degraded', async () => {
    const { app: a, source } = appOver(READONLY_FILES);
    const ok = (await (await a.request('/health')).json()) as Body;
    assert.equal(ok.status, 'SERVING');
    assert.equal(ok.storage.state, 'ok');
    source.setStatus({
      state: 'degraded',
      error: 'default.yaml:3: bad',
      lastSuccessAt: '2026-01-01T00:00:00.000Z',
      lastFailureAt: '2026-01-01T00:01:00.000Z',
    });
    const res = await a.request('/health');
    assert.equal(res.status, 200);
    const degraded = (await res.json()) as Body;
    assert.equal(degraded.storage.state, 'degraded');
    assert.equal(degraded.storage.error, 'default.yaml:3: bad');
    const metrics = await (await a.request('/metrics')).text();
    assert.match(metrics, /^ensign_snapshot_degraded 1$/m);
    assert.match(metrics, /^ensign_snapshot_load_failures_total 1$/m);
  });

  it('/meta/info reports storage and auth; /meta/config the config', async () => {
    const info = (await (await app.request('/meta/info')).json()) as Body;
    assert.deepEqual(info.storage, { type: 'local', readOnly: true });
    assert.deepEqual(info.authentication, { required: false });
    assert.equal(typeof info.version, 'string');
    const config = (await (await app.request('/meta/config')).json()) as Body;
    assert.equal(config.server.maxBodyBytes, 4096);
  });

  it('/metrics counts evaluations under Flipt names', async () => {
    const { app: a } = appOver(READONLY_FILES);
    for (let i = 0; i < 3; i++) {
      await a.request('/evaluate/v1/variant', { method: 'POST', body: JSON.stringify(VARIANT) });
    }
    await a.request('/evaluate/v1/variant', { method: 'POST', body: JSON.stringify({ flagKey: 'nope' }) });
    const res = await a.request('/metrics');
    assert.match(res.headers.get('content-type') ?? '', /text\/plain/);
    const text = await res.text();
    assert.match(text, /^flipt_evaluations_requests_total\{namespace="default",flag="flag_001"\} 3$/m);
    assert.match(
      text,
      /^flipt_evaluations_results_total\{namespace="default",flag="flag_001",match="true",segment="segment_005",reason="MATCH_EVALUATION_REASON",value="variant_002",type="variant"\} 3$/m,
    );
    assert.match(text, /^flipt_evaluations_errors_total 1$/m);
    assert.match(
      text,
      /^flipt_evaluations_latency_milliseconds_count\{namespace="default",flag="flag_001"\} 3$/m,
    );
    assert.match(text, /^ensign_snapshot_version_info\{namespace="production",version="[0-9a-f]+"\} 1$/m);
  });

  it('logged no server errors for any of the above', () => {
    assert.deepEqual(logger.errors, []);
  });
});
