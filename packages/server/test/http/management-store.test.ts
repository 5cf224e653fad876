import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createApp } from '../../src/http/app.ts';
import { type ManagementStore, readOnlyManagementStore } from '../../src/storage/management-store.ts';
import { READONLY_FILES, staticSource, testConfig, testLogger } from './support/static-source.ts';

// The write contract: routes decode bodies and path params into ManagementStore requests, so a
// writable backend only has to implement the store. A recording store stands in for one.

const JSON_TYPE = { 'content-type': 'application/json' };

function recordingStore() {
  const calls: Array<{ operation: string; request: Record<string, unknown> }> = [];
  const store = new Proxy(readOnlyManagementStore, {
    get(target, name) {
      if (name === 'writable') return true;
      if (!(name in target)) return undefined;
      return async (request: Record<string, unknown>) => {
        calls.push({ operation: String(name), request });
        return name.toString().startsWith('delete') || name.toString().startsWith('order')
          ? undefined
          : request;
      };
    },
  }) as ManagementStore;
  return { store, calls };
}

function writableApp() {
  const source = { ...staticSource(READONLY_FILES), readOnly: false };
  const { store, calls } = recordingStore();
  const app = createApp({ source, config: testConfig(), logger: testLogger(), management: store });
  return { app, calls };
}

describe('ManagementStore routing', () => {
  it('passes path params over body fields, with "" namespace as default', async () => {
    const { app, calls } = writableApp();
    const res = await app.request('/api/v1/namespaces//flags', {
      method: 'POST',
      headers: JSON_TYPE,
      body: JSON.stringify({ key: 'new_flag', name: 'New', namespace_key: 'production', enabled: true }),
    });
    assert.equal(res.status, 200);
    assert.equal(calls[0]!.operation, 'createFlag');
    assert.equal(calls[0]!.request['namespaceKey'], 'default');
    assert.equal(calls[0]!.request['key'], 'new_flag');
    assert.equal(calls[0]!.request['enabled'], true);
    assert.equal(calls[0]!.request['description'], '', 'absent fields get Flipt defaults');
  });

  it('binds nested ids, query params and answers {} for deletes', async () => {
    const { app, calls } = writableApp();
    const del = await app.request('/api/v1/flags/f1/rules/r1/distributions/d1?variantId=v1', {
      method: 'DELETE',
    });
    assert.equal(del.status, 200);
    assert.deepEqual(await del.json(), {});
    assert.equal(calls[0]!.operation, 'deleteDistribution');
    assert.deepEqual(
      { ...calls[0]!.request },
      { variantId: 'v1', flagKey: 'f1', ruleId: 'r1', id: 'd1', namespaceKey: 'default' },
    );
    await app.request('/api/v1/namespaces/production/flags/f1/rollouts/order', {
      method: 'PUT',
      headers: JSON_TYPE,
      body: JSON.stringify({ rolloutIds: ['a', 'b'] }),
    });
    assert.equal(calls[1]!.operation, 'orderRollouts');
    assert.deepEqual(calls[1]!.request['rolloutIds'], ['a', 'b']);
    assert.equal(calls[1]!.request['namespaceKey'], 'production');
  });

  it('a read-only source ignores a given store and rejects writes', async () => {
    const { store, calls } = recordingStore();
    const app = createApp({
      source: staticSource(READONLY_FILES),
      config: testConfig(),
      logger: testLogger(),
      management: store,
    });
    const res = await app.request('/api/v1/namespaces', {
      method: 'POST',
      headers: JSON_TYPE,
      body: '{"key":"x","name":"x"}',
    });
    assert.equal(res.status, 500);
    assert.equal(calls.length, 0);
  });
});
