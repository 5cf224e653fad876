import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { create, toBinary } from '@bufbuild/protobuf';
import { EvaluationRequestSchema } from '../../src/grpc/gen/flipt/evaluation/evaluation_pb.js';
import { GetFlagRequestSchema } from '../../src/grpc/gen/flipt/flipt_pb.js';
import { type AuthServer, bearer, connectCall, grpcStatus, startAuthServer } from './harness.ts';

// A token created with namespaceKey "team" has full access in "team" and none anywhere else, on
// every surface: management, evaluation (batch included), the snapshot, the change stream, OFREP
// and gRPC. Flipt scopes management and evaluation; Ensign also scopes the rest.

let s: AuthServer;
let team: Record<string, string>;

before(async () => {
  s = await startAuthServer();
  team = bearer(await s.mint({ name: 'team-only', namespaceKey: 'team' }));
});
after(() => s.close());

async function status(method: string, path: string, body?: unknown, headers: Record<string, string> = {}) {
  const abort = new AbortController();
  const response = await fetch(`${s.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...team, ...headers },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    signal: abort.signal,
  });
  abort.abort();
  return response.status;
}

const evalBody = (namespaceKey?: string) => ({
  ...(namespaceKey ? { namespaceKey } : {}),
  flagKey: 'on',
  entityId: 'e1',
});

describe('a namespace-scoped token', () => {
  it('manages its own namespace and nothing else', async () => {
    assert.equal(await status('GET', '/api/v1/namespaces/team'), 200);
    assert.equal(await status('GET', '/api/v1/namespaces/team/flags/on'), 200);
    assert.equal(await status('GET', '/api/v1/namespaces/team/flags'), 200);
    assert.equal(
      await status('POST', '/api/v1/namespaces/team/flags', {
        key: 'new',
        name: 'New',
        type: 'BOOLEAN_FLAG_TYPE',
      }),
      200,
    );
    assert.equal(await status('GET', '/api/v1/namespaces/default/flags/on'), 401);
    assert.equal(await status('GET', '/api/v1/flags/on'), 401, 'legacy alias acts on default');
    assert.equal(await status('GET', '/api/v1/namespaces/default'), 401);
    assert.equal(
      await status('POST', '/api/v1/namespaces/default/flags', {
        key: 'x',
        name: 'X',
        type: 'BOOLEAN_FLAG_TYPE',
      }),
      401,
    );
    assert.equal(await status('DELETE', '/api/v1/namespaces/default/flags/on'), 401);
    assert.equal(await status('POST', '/api/v1/namespaces', { key: 'other', name: 'Other' }), 401);
    // Listing namespaces spans all of them (Flipt rejects it for scoped tokens).
    assert.equal(await status('GET', '/api/v1/namespaces'), 401);
  });

  it('evaluates in its own namespace only, on the fast path and through Hono', async () => {
    for (const kind of ['variant', 'boolean']) {
      const flagKey = kind === 'variant' ? 'color' : 'on';
      assert.equal(await status('POST', `/evaluate/v1/${kind}`, { ...evalBody('team'), flagKey }), 200);
      assert.equal(await status('POST', `/evaluate/v1/${kind}`, { ...evalBody('default'), flagKey }), 401);
      // No namespace means default.
      assert.equal(await status('POST', `/evaluate/v1/${kind}`, { ...evalBody(), flagKey }), 401);
      // ?pretty goes through Hono instead of the fast path.
      assert.equal(
        await status('POST', `/evaluate/v1/${kind}?pretty`, { ...evalBody('default'), flagKey }),
        401,
      );
    }
    assert.equal(
      await status('POST', '/api/v1/namespaces/team/evaluate', { ...evalBody('team'), flagKey: 'color' }),
      200,
    );
    assert.equal(await status('POST', '/api/v1/evaluate', { ...evalBody('default'), flagKey: 'color' }), 401);
  });

  it('rejects a batch with one foreign item', async () => {
    assert.equal(
      await status('POST', '/evaluate/v1/batch', { requests: [evalBody('team'), evalBody('team')] }),
      200,
    );
    assert.equal(
      await status('POST', '/evaluate/v1/batch', { requests: [evalBody('team'), evalBody('default')] }),
      401,
    );
  });

  it('reads its own snapshot and change stream only', async () => {
    assert.equal(await status('GET', '/internal/v1/evaluation/snapshot/namespace/team'), 200);
    assert.equal(await status('GET', '/internal/v1/evaluation/snapshot/namespace/default'), 401);
    assert.equal(await status('GET', '/internal/v1/evaluation/snapshot/namespace/team/stream'), 200);
    assert.equal(await status('GET', '/internal/v1/evaluation/snapshot/namespace/default/stream'), 401);
  });

  it('evaluates OFREP in its own namespace only', async () => {
    const ns = { 'x-flipt-namespace': 'team' };
    assert.equal(await status('POST', '/ofrep/v1/evaluate/flags/on', { context: {} }, ns), 200);
    assert.equal(await status('POST', '/ofrep/v1/evaluate/flags', { context: {} }, ns), 200);
    assert.equal(await status('POST', '/ofrep/v1/evaluate/flags/on', { context: {} }), 401);
    assert.equal(await status('POST', '/ofrep/v1/evaluate/flags', { context: {} }), 401);
  });

  it('cannot manage tokens or read itself (as in Flipt)', async () => {
    assert.equal(await status('GET', '/auth/v1/self'), 401);
    assert.equal(await status('GET', '/auth/v1/tokens'), 401);
    assert.equal(await status('POST', '/auth/v1/method/token', { name: 'escalate' }), 401);
    assert.equal(await status('GET', '/meta/info'), 401);
  });

  it('is scoped the same way over gRPC, on the raw path and on Connect', async () => {
    const evaluate = (namespaceKey: string) =>
      toBinary(
        EvaluationRequestSchema,
        create(EvaluationRequestSchema, { namespaceKey, flagKey: 'on', entityId: 'e' }),
      );
    const getFlag = (namespaceKey: string) =>
      toBinary(GetFlagRequestSchema, create(GetFlagRequestSchema, { namespaceKey, key: 'on' }));
    const boolean = '/flipt.evaluation.EvaluationService/Boolean';
    assert.equal((await grpcStatus(s.grpcUrl, boolean, evaluate('team'), team)).status, 0);
    assert.equal((await grpcStatus(s.grpcUrl, boolean, evaluate('default'), team)).status, 16);
    assert.equal((await grpcStatus(s.grpcUrl, '/flipt.Flipt/GetFlag', getFlag('team'), team)).status, 0);
    assert.equal((await grpcStatus(s.grpcUrl, '/flipt.Flipt/GetFlag', getFlag('default'), team)).status, 16);
    assert.equal((await grpcStatus(s.grpcUrl, '/flipt.Flipt/ListNamespaces', undefined, team)).status, 16);
    const snapshot = '/flipt.evaluation.DataService/EvaluationSnapshotNamespace';
    assert.equal((await connectCall(s.grpcUrl, snapshot, { key: 'team' }, team)).status, 200);
    assert.equal((await connectCall(s.grpcUrl, snapshot, { key: 'default' }, team)).status, 401);
    assert.equal(
      (await connectCall(s.grpcUrl, boolean, { namespaceKey: 'team', flagKey: 'on' }, team)).status,
      200,
    );
    assert.equal(
      (await connectCall(s.grpcUrl, boolean, { namespaceKey: 'default', flagKey: 'on' }, team)).status,
      401,
    );
    const ofrep = '/flipt.ofrep.OFREPService/EvaluateFlag';
    assert.equal(
      (await connectCall(s.grpcUrl, ofrep, { key: 'on' }, { ...team, 'x-flipt-namespace': 'team' })).status,
      200,
    );
    assert.equal((await connectCall(s.grpcUrl, ofrep, { key: 'on' }, team)).status, 401);
  });
});
