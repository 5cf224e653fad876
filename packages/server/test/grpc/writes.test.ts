import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type RunningGrpcServer, startGrpcServer } from '../../src/grpc/index.ts';
import { type ManagementStore, readOnlyManagementStore } from '../../src/storage/management-store.ts';
import { unaryFastPath } from './support/fast-path-mode.ts';
import { fixtureSnapshot, staticSource } from './support/fixture-source.ts';
import { type Unary, unaryClient } from './support/grpc-client.ts';
import { fromGrpc } from './support/normalize.ts';

// With a writable store (a database backend), write RPCs reach the store with the service-layer
// request shape (namespace resolved, enums by name) and its answer comes back as the message.

const NOW = '2026-11-25T10:00:00Z';

function recordingStore(calls: Array<[string, unknown]>): ManagementStore {
  const store: Record<string, unknown> = { writable: true };
  for (const op of Object.keys(readOnlyManagementStore)) {
    if (op === 'writable') continue;
    store[op] = async (request: Record<string, unknown>) => {
      calls.push([op, request]);
      if (op === 'createFlag') {
        return { ...request, createdAt: NOW, updatedAt: NOW, variants: [], metadata: request['metadata'] };
      }
      if (op === 'createRollout') {
        return { id: 'r1', type: 'THRESHOLD_ROLLOUT_TYPE', createdAt: NOW, updatedAt: NOW, ...request };
      }
      return undefined;
    };
  }
  return store as unknown as ManagementStore;
}

describe('gRPC writes with a writable store', () => {
  const calls: Array<[string, unknown]> = [];
  let server: RunningGrpcServer;
  let flipt: Record<string, Unary> & { close(): void };

  before(async () => {
    server = await startGrpcServer({
      host: '127.0.0.1',
      port: 0,
      source: staticSource(fixtureSnapshot(), false),
      logger: { error() {} },
      management: recordingStore(calls),
      unaryFastPath,
    });
    flipt = unaryClient(`127.0.0.1:${server.port}`, 'flipt.Flipt');
  });
  after(async () => {
    flipt.close();
    await server.close(1000);
  });

  it('CreateFlag passes the service request and answers the created flag', async () => {
    const answer = await flipt.CreateFlag!({
      key: 'new_flag',
      name: 'New',
      type: 'BOOLEAN_FLAG_TYPE',
      metadata: { fields: { team: { stringValue: 'core' } } },
    });
    assert.deepEqual(calls.at(-1), [
      'createFlag',
      {
        key: 'new_flag',
        name: 'New',
        description: '',
        enabled: false,
        namespaceKey: 'default',
        type: 'BOOLEAN_FLAG_TYPE',
        metadata: { team: 'core' },
      },
    ]);
    assert.deepEqual(fromGrpc(answer), {
      key: 'new_flag',
      name: 'New',
      description: '',
      enabled: false,
      namespaceKey: 'default',
      type: 'BOOLEAN_FLAG_TYPE',
      metadata: { team: 'core' },
      variants: [],
      createdAt: Date.parse(NOW),
      updatedAt: Date.parse(NOW),
    });
  });

  it('CreateRollout keeps the oneof rule', async () => {
    const answer = await flipt.CreateRollout!({
      namespaceKey: 'production',
      flagKey: 'f',
      rank: 2,
      threshold: { percentage: 25, value: true },
    });
    const [op, request] = calls.at(-1)!;
    assert.equal(op, 'createRollout');
    assert.deepEqual(request, {
      namespaceKey: 'production',
      flagKey: 'f',
      rank: 2,
      description: '',
      threshold: { percentage: 25, value: true },
    });
    assert.deepEqual((answer as { threshold: unknown }).threshold, { percentage: 25, value: true });
  });

  it('deletes answer Empty', async () => {
    assert.deepEqual(await flipt.DeleteSegment!({ key: 's' }), {});
    assert.deepEqual(calls.at(-1), ['deleteSegment', { key: 's', namespaceKey: 'default' }]);
  });
});
