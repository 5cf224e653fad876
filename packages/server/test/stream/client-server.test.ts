import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnsignClient, type EvaluationResponse, type SnapshotChange } from '@ensign/client';
import { readonlyStyleFiles } from '../../../core/test/datasets/readonly-style.ts';
import { SDK_STYLE_YAML } from '../../../core/test/datasets/sdk-style.ts';
import { startEnsign, waitFor } from './harness.ts';

// @ensign/client against a running Ensign server (HTTP app + stream route over local storage).

const SDK_FEATURES = SDK_STYLE_YAML;
const FAST = { reconnectDelayMs: { initial: 20, max: 200 } };

interface Comparable {
  type: string;
  flagKey: string;
  match?: boolean;
  enabled?: boolean;
  reason: string;
  variantKey?: string;
  variantAttachment?: string;
  segmentKeys?: string[];
}

/** The fields both sides must agree on (ids, timestamps and durations differ by nature). */
function fromClient(r: EvaluationResponse): Comparable {
  const v = r.variantEvaluationResponse;
  const b = r.booleanEvaluationResponse;
  const e = r.errorEvaluationResponse;
  if (v)
    return {
      type: r.type,
      flagKey: v.flagKey,
      match: v.match,
      reason: v.reason,
      variantKey: v.variantKey,
      variantAttachment: v.variantAttachment,
      segmentKeys: v.segmentKeys,
    };
  if (b)
    return {
      type: r.type,
      flagKey: b.flagKey,
      enabled: b.enabled,
      reason: b.reason,
      segmentKeys: b.segmentKeys,
    };
  return { type: r.type, flagKey: e!.flagKey, reason: e!.reason };
}

function fromServer(r: Record<string, Record<string, unknown>>): Comparable {
  const v = r.variantResponse;
  const b = r.booleanResponse;
  const e = r.errorResponse;
  const type = r.type as unknown as string;
  if (v)
    return {
      type,
      flagKey: v.flagKey as string,
      match: v.match as boolean,
      reason: v.reason as string,
      variantKey: v.variantKey as string,
      variantAttachment: v.variantAttachment as string,
      segmentKeys: v.segmentKeys as string[],
    };
  if (b)
    return {
      type,
      flagKey: b.flagKey as string,
      enabled: b.enabled as boolean,
      reason: b.reason as string,
      segmentKeys: b.segmentKeys as string[],
    };
  return { type, flagKey: e!.flagKey as string, reason: e!.reason as string };
}

async function post(url: string, body: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, await response.clone().text());
  return (await response.json()) as Record<string, unknown>;
}

type Req = { flagKey: string; entityId: string; context: Record<string, string> };

async function assertParity(url: string, client: EnsignClient, namespaceKey: string, requests: Req[]) {
  const server = await post(`${url}/evaluate/v1/batch`, {
    requests: requests.map((r) => ({ ...r, namespaceKey })),
  });
  const expected = (server.responses as Record<string, Record<string, unknown>>[]).map(fromServer);
  const actual = client.evaluateBatch(requests).responses.map(fromClient);
  assert.equal(actual.length, expected.length);
  for (let i = 0; i < expected.length; i++)
    assert.deepEqual(actual[i], expected[i], JSON.stringify(requests[i]));
  // The single-flag calls agree with the batch.
  for (const [i, r] of requests.entries()) {
    const kind = client.flagType(r.flagKey);
    if (!kind) continue;
    const single =
      kind === 'BOOLEAN_FLAG_TYPE'
        ? { type: 'BOOLEAN_EVALUATION_RESPONSE_TYPE', booleanEvaluationResponse: client.evaluateBoolean(r) }
        : { type: 'VARIANT_EVALUATION_RESPONSE_TYPE', variantEvaluationResponse: client.evaluateVariant(r) };
    assert.deepEqual(fromClient(single), expected[i]);
  }
}

test('matches the server on the flipt-client-sdks fixture; refresh() is false when nothing changed', async () => {
  const server = await startEnsign({ 'features.yml': SDK_FEATURES });
  const client = await EnsignClient.init({ url: server.url });
  try {
    const requests: Req[] = [];
    for (const flagKey of ['flag1', 'flag_boolean', 'notfound'])
      for (const entityId of ['someentity', 'a', 'b', 'c', 'd', 'e'])
        for (const context of [{ fizz: 'buzz' }, {}, { fizz: 'nope' }] as Record<string, string>[])
          requests.push({ flagKey, entityId, context });
    await assertParity(server.url, client, 'default', requests);
    const rest = await post(`${server.url}/evaluate/v1/variant`, {
      flagKey: 'flag1',
      entityId: 'someentity',
      context: { fizz: 'buzz' },
    });
    assert.equal(
      rest.variantKey,
      client.evaluateVariant({ flagKey: 'flag1', entityId: 'someentity', context: { fizz: 'buzz' } })
        .variantKey,
    );
    assert.equal(await client.refresh(), false);
    assert.equal(await client.refresh(), false);
    assert.deepEqual(
      client.listFlags().map((f) => f.key),
      ['flag1', 'flag_boolean'],
    );
  } finally {
    client.close();
    await server.close();
  }
});

test('matches the server on the readonly-style dataset with every operator (both namespaces)', async () => {
  const server = await startEnsign(
    Object.fromEntries(readonlyStyleFiles({ coverage: 60 }).map((f) => [f.path, f.content])),
  );
  try {
    for (const namespace of ['default', 'production']) {
      const client = await EnsignClient.init({ url: server.url, namespace });
      const flags = client.listFlags().map((f) => f.key);
      assert.ok(flags.length > 50, `${namespace} has its flags`);
      const contexts: Record<string, string>[] = [
        {},
        { in_segment: 'segment_001' },
        { in_segment: 'segment_005' },
        { in_segment: 'segment_040' },
        { anding: 'true', in_segment: 'segment_002' },
        { plan: 'pro', age: '30', beta: 'true', signup: '2024-06-15T12:30:00Z' },
        { plan: 'enterprise', age: '17', beta: 'false', signup: '2023-01-01T00:00:00Z' },
        { plan: '', age: 'x', signup: 'soon' },
      ];
      const requests: Req[] = [];
      for (const flagKey of [...flags, 'flag_missing'])
        for (let e = 0; e < 8; e++)
          requests.push({ flagKey, entityId: `entity-${e}`, context: contexts[e % contexts.length]! });
      await assertParity(server.url, client, namespace, requests);
      client.close();
    }
  } finally {
    await server.close();
  }
});

const boolFlags = (enabled: boolean) =>
  `version: "1.4"\nnamespace: default\nflags:\n  - key: flag_b\n    name: flag_b\n    type: BOOLEAN_FLAG_TYPE\n    enabled: ${enabled}\n`;
const ask = { flagKey: 'flag_b', entityId: 'u1', context: {} };

function nextChange(client: EnsignClient): Promise<SnapshotChange & { at: number }> {
  return new Promise((resolve) => {
    const off = client.onChange((change) => {
      off();
      resolve({ ...change, at: performance.now() });
    });
  });
}

test('a change on the server reaches a connected client over SSE in under a second', async () => {
  const server = await startEnsign({ 'features.yml': boolFlags(true) });
  const client = await EnsignClient.init({ url: server.url, ...FAST });
  try {
    await waitFor(() => client.streaming, 'stream connected');
    for (const enabled of [false, true, false]) {
      const change = nextChange(client);
      const start = performance.now();
      server.write('features.yml', boolFlags(enabled));
      const seen = await change;
      const latency = seen.at - start;
      assert.equal(seen.via, 'stream');
      assert.deepEqual(seen.flagsChanged, ['flag_b']);
      assert.ok(latency < 1000, `file write to client took ${latency.toFixed(1)} ms`);
      assert.equal(client.evaluateBoolean(ask).enabled, enabled);
    }
  } finally {
    client.close();
    await server.close();
  }
});

test('polling takes over while the stream is cut, and push resumes after', async () => {
  const server = await startEnsign({ 'features.yml': boolFlags(true) }, { heartbeatMs: 100 });
  const client = await EnsignClient.init({ url: server.url, updateInterval: 0.1, ...FAST });
  try {
    await waitFor(() => client.streaming, 'stream connected');
    server.setStreamDown(true);
    await waitFor(() => !client.streaming, 'stream cut');
    const polled = nextChange(client);
    server.write('features.yml', boolFlags(false));
    assert.equal((await polled).via, 'poll');
    assert.equal(client.evaluateBoolean(ask).enabled, false);

    server.setStreamDown(false);
    await waitFor(() => client.streaming, 'stream back', 3000);
    const pushed = nextChange(client);
    server.write('features.yml', boolFlags(true));
    assert.equal((await pushed).via, 'stream');
  } finally {
    client.close();
    await server.close();
  }
});

test('a server without the stream (404) leaves the client polling', async () => {
  const server = await startEnsign({ 'features.yml': boolFlags(true) }, { noStream: true });
  const client = await EnsignClient.init({ url: server.url, updateInterval: 0.05, ...FAST });
  try {
    const polled = nextChange(client);
    server.write('features.yml', boolFlags(false));
    assert.equal((await polled).via, 'poll');
    assert.equal(client.streaming, false);
  } finally {
    client.close();
    await server.close();
  }
});

test('offline start from an exported snapshot with the server down; fallback keeps the last state', async () => {
  const server = await startEnsign({ 'features.yml': SDK_FEATURES });
  const online = await EnsignClient.init({ url: server.url, errorStrategy: 'fallback', ...FAST });
  const input = { flagKey: 'flag1', entityId: 'someentity', context: { fizz: 'buzz' } };
  const snapshot = online.getSnapshot();
  const url = server.url;
  await server.close();

  // The running client: fetches fail, evaluations keep answering from the last good state.
  assert.equal(await online.refresh(), false);
  assert.equal(online.evaluateVariant(input).variantKey, 'variant1');
  online.close();

  await assert.rejects(EnsignClient.init({ url }), 'no snapshot: init fails like Flipt');
  const offline = await EnsignClient.init({ url, snapshot, errorStrategy: 'fallback', ...FAST });
  try {
    assert.equal(offline.evaluateVariant(input).variantKey, 'variant1');
    assert.equal(offline.evaluateBoolean({ ...input, flagKey: 'flag_boolean' }).enabled, true);
    assert.equal(offline.listFlags().length, 2);
  } finally {
    offline.close();
  }
});
