import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveConfig } from '../../src/config/load.ts';
import { Flipt } from '../../src/grpc/gen/flipt/flipt_pb.js';
import { createApp } from '../../src/http/app.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type AuthServer, bearer, connectCall, grpcStatus, startAuthServer } from './harness.ts';

// authorization.required with a declarative policy file: a read-only role evaluates and lists
// but gets 403 / PERMISSION_DENIED on every write (the write routes come from the route table and
// the write RPCs from the proto descriptor); viewable namespaces filter ListNamespaces; the file
// is hot-reloaded, and a broken edit leaves the last good policy in force.

const dir = mkdtempSync(join(tmpdir(), 'ensign-policy-'));
const policyPath = join(dir, 'policy.yml');

const POLICY = `
roles:
  - name: admin
    match:
      metadata:
        io.flipt.auth.token.name: [initial_bootstrap_token, admin]
    allow:
      - {}
  - name: viewer
    match:
      method: token
      metadata:
        io.flipt.auth.token.name: viewer
    allow:
      - resources: [namespace, flag, segment]
        actions: [read]
        namespaces: [team]
`;

let s: AuthServer;
let viewer: Record<string, string>;

before(async () => {
  writeFileSync(policyPath, POLICY);
  s = await startAuthServer({
    authorization: { required: true, local: { policy: { path: policyPath, poll_interval: '50ms' } } },
  });
  viewer = bearer(await s.mint({ name: 'viewer' }));
});
after(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

async function call(method: string, path: string, headers: Record<string, string>, body?: unknown) {
  const response = await fetch(`${s.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('a read-only role', () => {
  it('evaluates anywhere (Flipt skips authorization for evaluation) and reads where allowed', async () => {
    for (const namespaceKey of ['default', 'team']) {
      const r = await call('POST', '/evaluate/v1/boolean', viewer, {
        namespaceKey,
        flagKey: 'on',
        entityId: 'e',
      });
      assert.equal(r.status, 200);
    }
    const ofrep = await call(
      'POST',
      '/ofrep/v1/evaluate/flags/on',
      { ...viewer, 'x-flipt-namespace': 'team' },
      {},
    );
    assert.equal(ofrep.status, 200);
    assert.equal((await call('GET', '/api/v1/namespaces/team/flags', viewer)).status, 200);
    assert.equal((await call('GET', '/api/v1/namespaces/team/segments', viewer)).status, 200);
    const denied = await call('GET', '/api/v1/namespaces/default/flags', viewer);
    assert.equal(denied.status, 403);
    assert.deepEqual(denied.body, { code: 7, message: 'permission denied', details: [] });
  });

  it('sees only its viewable namespaces in ListNamespaces', async () => {
    const list = await call('GET', '/api/v1/namespaces', viewer);
    assert.equal(list.status, 200);
    assert.deepEqual(
      (list.body['namespaces'] as Array<{ key: string }>).map((n) => n.key),
      ['team'],
    );
    assert.equal(list.body['totalCount'], 1);
    const all = await call('GET', '/api/v1/namespaces', bearer(await s.mint({ name: 'admin' })));
    assert.deepEqual((all.body['namespaces'] as Array<{ key: string }>).map((n) => n.key).sort(), [
      'default',
      'team',
    ]);
  });

  it('gets 403 on every REST write and on token management', async () => {
    const auth = undefined;
    const app = createApp({
      source: s.server.source,
      config: s.config,
      logger: silentLogger(),
      ...(auth ?? {}),
    });
    const writes = app.routes.filter(
      (r) =>
        r.method !== 'GET' &&
        r.method !== 'ALL' &&
        r.path.startsWith('/api/v1/') &&
        !/evaluate$/.test(r.path),
    );
    assert.ok(writes.length >= 40, `${writes.length} write routes`);
    for (const { method, path } of writes) {
      const concrete = path.replace(':namespaceKey', 'team').replace(/:[A-Za-z]+/g, 'on');
      const r = await call(method, concrete, viewer, method === 'DELETE' ? undefined : {});
      assert.equal(r.status, 403, `${method} ${concrete}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    assert.equal((await call('GET', '/auth/v1/tokens', viewer)).status, 403);
    assert.equal((await call('POST', '/auth/v1/method/token', viewer, { name: 'admin' })).status, 403);
  });

  it('gets PERMISSION_DENIED on every write RPC, on plain gRPC and on Connect', async () => {
    const writes = Flipt.methods.filter((m) => /^(Create|Update|Delete|Order)/.test(m.name));
    assert.equal(writes.length, 26);
    for (const m of writes) {
      const path = `/flipt.Flipt/${m.name}`;
      assert.equal((await grpcStatus(s.grpcUrl, path, undefined, viewer)).status, 7, `${path} gRPC`);
      // Connect JSON is strict: name the namespace with the field the request message has.
      const scoped = m.input.fields.some((f) => f.localName === 'namespaceKey')
        ? { namespaceKey: 'team' }
        : { key: 'team' };
      const connect = await connectCall(s.grpcUrl, path, scoped, viewer);
      assert.equal(connect.status, 403, `${path} Connect`);
    }
    assert.equal(
      (await grpcStatus(s.grpcUrl, '/flipt.Flipt/ListFlags', undefined, viewer)).status,
      7,
      'default ns',
    );
  });
});

describe('the policy file', () => {
  it('is reloaded when it changes, and a broken edit keeps the last good policy', async () => {
    const read = () => call('GET', '/api/v1/namespaces/default/flags', viewer);
    assert.equal((await read()).status, 403);
    writeFileSync(policyPath, POLICY.replace('namespaces: [team]', 'namespaces: [team, default]'));
    for (let i = 0; i < 100 && (await read()).status !== 200; i++) await sleep(20);
    assert.equal((await read()).status, 200);

    writeFileSync(policyPath, 'roles: [ {name: broken, allow: nope');
    await sleep(300);
    assert.equal((await read()).status, 200, 'still the last good policy');
    assert.equal((await call('GET', '/api/v1/namespaces/team/flags', viewer)).status, 200);
  });

  it('is required, needs authentication, and must be valid at start', () => {
    const cwd = dir;
    assert.throws(
      () =>
        resolveConfig(
          { authorization: { required: true, local: { policy: { path: policyPath } } } },
          { env: {}, cwd },
        ),
      /needs authentication.required/,
    );
    assert.throws(
      () =>
        resolveConfig(
          { authentication: { required: true }, authorization: { required: true } },
          { env: {}, cwd },
        ),
      /authorization.local.policy.path/,
    );
    assert.throws(
      () =>
        resolveConfig(
          { authentication: { required: true }, authorization: { required: true, backend: 'bundle' } },
          { env: {}, cwd },
        ),
      /authorization.backend "bundle" is not supported yet \(supported: local\)/,
    );
  });
});
