import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createAuth } from '../../src/auth/index.ts';
import { file_flipt_auth_auth } from '../../src/grpc/gen/flipt/auth/auth_pb.js';
import { SERVED_FILES } from '../../src/grpc/routes.ts';
import { createApp } from '../../src/http/app.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type AuthServer, BOOTSTRAP, bearer, connectCall, grpcStatus, startAuthServer } from './harness.ts';

// With authentication required, every route and every gRPC method refuses a call without
// credentials, with a wrong token and with an expired token, and lets a valid token through —
// on both REST paths and both gRPC paths. The routes come from the app's route table and the
// methods from the proto descriptors, so a route added later is walked too.

/** What Flipt leaves open (spec §3.3, Flipt's docs): the only exceptions. */
// The web UI's page and assets load without credentials, so it can show its login form.
const PUBLIC_PATHS = new Set(['/health', '/metrics', '/auth/v1/method', '/', '/index.html', '/assets/*']);
const PUBLIC_SERVICES = new Set([
  'grpc.health.v1.Health',
  'grpc.reflection.v1.ServerReflection',
  'grpc.reflection.v1alpha.ServerReflection',
  'flipt.auth.PublicAuthenticationService',
  'flipt.auth.AuthenticationMethodOIDCService',
  'flipt.auth.AuthenticationMethodKubernetesService',
  'flipt.auth.AuthenticationMethodGithubService',
]);

/** Route parameters filled with values that exist or harmlessly do not. */
function concrete(path: string): string {
  return path
    .replace(':namespaceKey', 'default')
    .replace(/:(flagKey|segmentKey)/g, 'nope')
    .replace(/:(key|id|ruleId)/g, 'nope');
}

let s: AuthServer;
let expired: string;
let routes: Array<{ method: string; path: string }>;

before(async () => {
  // Audit history on: its routes (Ensign extensions under /api/v1) are walked too.
  s = await startAuthServer({ audit: { sinks: { database: { enabled: true } } } });
  expired = await s.mint({ expiresAt: new Date(Date.now() - 60_000).toISOString() });
  // The route table of the app the server runs, auth routes included.
  const auth = await createAuth(
    { ...s.config, db: { ...s.config.db, url: 'file::memory:' } },
    silentLogger(),
  );
  const app = createApp({
    source: s.server.source,
    config: s.config,
    logger: silentLogger(),
    ...(auth ? { auth } : {}),
  });
  routes = app.routes.filter((r) => r.method !== 'ALL').map((r) => ({ method: r.method, path: r.path }));
  await auth?.close();
});
after(() => s.close());

async function status(method: string, path: string, headers: Record<string, string>): Promise<number> {
  const abort = new AbortController();
  const response = await fetch(`${s.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(method === 'GET' || method === 'HEAD' || method === 'DELETE' ? {} : { body: '{}' }),
    signal: abort.signal,
  });
  // The change stream never ends by itself: its headers are all this needs.
  abort.abort();
  return response.status;
}

const BAD: ReadonlyArray<[string, () => Record<string, string>]> = [
  ['no credentials', () => ({})],
  ['a wrong token', () => bearer('not-a-token')],
  ['an expired token', () => bearer(expired)],
  ['a malformed header', () => ({ authorization: 'Basic czNjcjN0' })],
];

describe('every REST route', () => {
  it('covers the whole API surface', () => {
    const paths = new Set(routes.map((r) => r.path));
    for (const p of [
      '/evaluate/v1/variant',
      '/api/v1/namespaces/:namespaceKey/flags',
      '/ofrep/v1/evaluate/flags',
      '/api/v1/namespaces/:namespaceKey/flags/:flagKey/history',
      '/api/v1/namespaces/:namespaceKey/segments/:segmentKey/history',
    ]) {
      assert.ok(paths.has(p), p);
    }
    assert.ok(routes.length > 60, `only ${routes.length} routes`);
  });

  for (const [label, headers] of BAD) {
    it(`answers 401 with ${label}, except Flipt's public routes`, async () => {
      for (const { method, path } of routes) {
        const got = await status(method, concrete(path), headers());
        const expected = PUBLIC_PATHS.has(path) ? 'not 401' : 401;
        assert.ok(
          expected === 401 ? got === 401 : got !== 401,
          `${method} ${path} with ${label}: ${got}, expected ${expected}`,
        );
      }
    });
  }

  it('lets a valid token through everywhere', async () => {
    const token = await s.mint();
    for (const { method, path } of routes) {
      // Expiring oneself would end the token used for the rest of the walk.
      const headers = path === '/auth/v1/self/expire' ? bearer(await s.mint()) : bearer(token);
      const got = await status(method, concrete(path), headers);
      assert.ok(got !== 401 && got < 500, `${method} ${path}: ${got}`);
    }
  });

  it('answers 401 in Flipt shape on the evaluation fast path and OFREP shape on OFREP', async () => {
    const variant = await fetch(`${s.url}/evaluate/v1/variant`, { method: 'POST', body: '{}' });
    assert.equal(variant.status, 401);
    assert.deepEqual(await variant.json(), {
      code: 16,
      message: 'request was not authenticated',
      details: [],
    });
    const ofrep = await fetch(`${s.url}/ofrep/v1/evaluate/flags`, { method: 'POST', body: '{}' });
    assert.equal(ofrep.status, 401);
    assert.deepEqual(await ofrep.json(), {
      errorCode: 'GENERAL',
      errorDetails: 'request was not authenticated',
    });
  });
});

const methods = [...SERVED_FILES, file_flipt_auth_auth].flatMap((file) =>
  file.services.flatMap((service) =>
    service.methods
      .filter((m) => m.methodKind === 'unary')
      .map((m) => ({ service: service.typeName, path: `/${service.typeName}/${m.name}` })),
  ),
);

describe('every gRPC method', () => {
  it('covers every Flipt service', () => {
    const services = new Set(methods.map((m) => m.service));
    for (const name of [
      'flipt.Flipt',
      'flipt.evaluation.EvaluationService',
      'flipt.evaluation.DataService',
      'flipt.ofrep.OFREPService',
      'flipt.auth.AuthenticationService',
      'flipt.auth.AuthenticationMethodTokenService',
    ]) {
      assert.ok(services.has(name), name);
    }
  });

  for (const [label, headers] of BAD) {
    it(`answers UNAUTHENTICATED with ${label} on plain gRPC and on Connect`, async () => {
      for (const { service, path } of methods) {
        const grpc = await grpcStatus(s.grpcUrl, path, undefined, headers());
        const connect = await connectCall(s.grpcUrl, path, {}, headers());
        if (PUBLIC_SERVICES.has(service)) {
          assert.notEqual(grpc.status, 16, `${path} gRPC`);
          assert.notEqual(connect.status, 401, `${path} Connect`);
        } else {
          assert.equal(grpc.status, 16, `${path} gRPC with ${label}`);
          assert.equal(connect.status, 401, `${path} Connect with ${label}`);
          assert.equal(connect.json['code'], 'unauthenticated');
        }
      }
    });
  }

  it('lets a valid token through every method on both paths', async () => {
    const token = await s.mint();
    for (const { path } of methods) {
      const auth = path.endsWith('/ExpireAuthenticationSelf') ? bearer(await s.mint()) : bearer(token);
      const grpc = await grpcStatus(s.grpcUrl, path, undefined, auth);
      assert.ok(![16, 13, -1].includes(grpc.status), `${path} gRPC: ${grpc.status}`);
      const connectAuth = path.endsWith('/ExpireAuthenticationSelf') ? bearer(await s.mint()) : auth;
      const connect = await connectCall(s.grpcUrl, path, {}, connectAuth);
      assert.ok(connect.status !== 401 && connect.status < 500, `${path} Connect: ${connect.status}`);
    }
  });

  it('still accepts the bootstrap token', async () => {
    const self = await fetch(`${s.url}/auth/v1/self`, { headers: bearer(BOOTSTRAP) });
    assert.equal(self.status, 200);
    const body = (await self.json()) as { method: string; metadata: Record<string, string> };
    assert.equal(body.method, 'METHOD_TOKEN');
    assert.equal(body.metadata['io.flipt.auth.token.name'], 'initial_bootstrap_token');
  });
});
