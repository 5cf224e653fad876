import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { FliptClient as RestClient } from '@flipt-io/flipt';
import { FliptClient as EngineClient } from '@flipt-io/flipt-client-js';
import { OFREPProvider } from '@openfeature/ofrep-provider';
import { ErrorCode, OpenFeature } from '@openfeature/server-sdk';
import { type Served, serveOver } from './support/app.ts';
import { type Body, READONLY_FILES, SDK_FIXTURES } from './support/static-source.ts';

// Flipt's own published clients, unchanged, against a real socket.

let server: Served;
before(async () => {
  server = await serveOver(SDK_FIXTURES);
});
after(async () => {
  await server.close();
});

describe('@flipt-io/flipt (REST SDK)', () => {
  it('evaluates variant, boolean and batch per its integration test', async () => {
    const client = new RestClient({ url: server.url });
    const variant = await client.evaluation.variant({
      namespaceKey: 'default',
      flagKey: 'flag1',
      entityId: 'entity',
      context: { fizz: 'buzz' },
    });
    assert.equal(variant.match, true);
    assert.equal(variant.variantKey, 'variant1');
    assert.equal(variant.reason, 'MATCH_EVALUATION_REASON');
    assert.ok(variant.segmentKeys.includes('segment1'));

    const bool = await client.evaluation.boolean({
      namespaceKey: 'default',
      flagKey: 'flag_boolean',
      entityId: 'entity',
      context: { fizz: 'buzz' },
    });
    assert.equal(bool.enabled, true);
    assert.equal(bool.reason, 'MATCH_EVALUATION_REASON');
    assert.ok(bool.segmentKeys.includes('segment1'));

    const batch = await client.evaluation.batch({
      requests: [
        { namespaceKey: 'default', flagKey: 'flag1', entityId: 'entity', context: { fizz: 'buzz' } },
        { namespaceKey: 'default', flagKey: 'flag_boolean', entityId: 'entity', context: { fizz: 'buzz' } },
        { namespaceKey: 'default', flagKey: 'notfound', entityId: 'entity', context: {} },
      ],
    });
    assert.deepEqual(
      batch.responses.map((r) => r.type),
      [
        'VARIANT_EVALUATION_RESPONSE_TYPE',
        'BOOLEAN_EVALUATION_RESPONSE_TYPE',
        'ERROR_EVALUATION_RESPONSE_TYPE',
      ],
    );
    assert.deepEqual(batch.responses[2]!.errorResponse, {
      flagKey: 'notfound',
      namespaceKey: 'default',
      reason: 'NOT_FOUND_ERROR_EVALUATION_REASON',
    });
  });

  it('lists flags and surfaces Flipt error messages', async () => {
    const client = new RestClient({ url: server.url });
    const list = await client.flags.listFlags('default');
    const flag1 = list.flags.find((f) => f.key === 'flag1');
    assert.ok(flag1);
    assert.equal(flag1.enabled, true);
    assert.equal(flag1.type, 'VARIANT_FLAG_TYPE');
    await assert.rejects(
      client.evaluation.variant({ namespaceKey: 'default', flagKey: 'nope', entityId: 'e', context: {} }),
      { message: 'flag "default/nope" not found' },
    );
  });
});

describe('@flipt-io/flipt-client-js (client-side engine)', () => {
  it('loads the snapshot and evaluates locally; refresh() is false when nothing changed', async () => {
    const client = await EngineClient.init({ url: server.url, namespace: 'default' });
    try {
      const variant = client.evaluateVariant({
        flagKey: 'flag1',
        entityId: 'someentity',
        context: { fizz: 'buzz' },
      });
      assert.equal(variant.match, true);
      assert.equal(variant.variantKey, 'variant1');
      assert.equal(variant.reason, 'MATCH_EVALUATION_REASON');
      assert.ok(variant.segmentKeys.includes('segment1'));

      const bool = client.evaluateBoolean({
        flagKey: 'flag_boolean',
        entityId: 'someentity',
        context: { fizz: 'buzz' },
      });
      assert.equal(bool.enabled, true);
      assert.equal(bool.reason, 'MATCH_EVALUATION_REASON');

      assert.throws(
        () => client.evaluateVariant({ flagKey: 'nonexistent', entityId: 'e', context: {} }),
        /nonexistent/,
      );

      const batch = client.evaluateBatch([
        { flagKey: 'flag1', entityId: 'someentity', context: { fizz: 'buzz' } },
        { flagKey: 'flag_boolean', entityId: 'someentity', context: { fizz: 'buzz' } },
        { flagKey: 'notfound', entityId: 'someentity', context: {} },
      ]);
      assert.deepEqual(
        batch.responses.map((r: { type: string }) => r.type),
        [
          'VARIANT_EVALUATION_RESPONSE_TYPE',
          'BOOLEAN_EVALUATION_RESPONSE_TYPE',
          'ERROR_EVALUATION_RESPONSE_TYPE',
        ],
      );
      assert.equal(batch.responses[2]!.errorEvaluationResponse?.flagKey, 'notfound');

      assert.equal(client.listFlags().length, 2);
      assert.equal(await client.refresh(), false);
    } finally {
      client.close();
    }
  });

  it('refresh() is true after the served snapshot changes', async () => {
    const other = await serveOver(SDK_FIXTURES);
    const client = await EngineClient.init({ url: other.url, namespace: 'default' });
    try {
      assert.equal(await client.refresh(), false);
      other.source.swap(READONLY_FILES);
      assert.equal(await client.refresh(), true);
      assert.equal(client.listFlags().length, 57);
      const v = client.evaluateVariant({
        flagKey: 'flag_001',
        entityId: 'some-fixed-entity-id',
        context: { in_segment: 'segment_005' },
      });
      assert.equal(v.variantKey, 'variant_002');
    } finally {
      client.close();
      await other.close();
    }
  });
});

describe('OpenFeature server SDK with the OFREP provider', () => {
  it('evaluates boolean and string flags; a missing flag gives the default and FLAG_NOT_FOUND', async () => {
    await OpenFeature.setProviderAndWait('ensign', new OFREPProvider({ baseUrl: server.url }));
    const client = OpenFeature.getClient('ensign');
    const ctx = { targetingKey: 'someentity', fizz: 'buzz' };

    const bool = await client.getBooleanDetails('flag_boolean', false, ctx);
    assert.equal(bool.value, true);
    assert.equal(bool.reason, 'TARGETING_MATCH');
    assert.equal(bool.variant, 'true');

    const str = await client.getStringDetails('flag1', 'fallback', ctx);
    assert.equal(str.value, 'variant1');
    assert.equal(str.reason, 'TARGETING_MATCH');
    assert.equal(str.flagMetadata['segments'], 'segment1');

    const missing = await client.getStringDetails('nope', 'fallback', ctx);
    assert.equal(missing.value, 'fallback');
    assert.equal(missing.errorCode, ErrorCode.FLAG_NOT_FOUND);
    await OpenFeature.close();
  });

  it('bulk evaluation carries an ETag and answers If-None-Match with 304', async () => {
    const post = (headers: Record<string, string> = {}) =>
      fetch(`${server.url}/ofrep/v1/evaluate/flags`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ context: { targetingKey: 'someentity', fizz: 'buzz' } }),
      });
    const first = await post();
    const etag = first.headers.get('etag');
    assert.match(etag ?? '', /^W\/"[0-9a-f]{40}"$/);
    const body = (await first.json()) as { flags: Array<{ key: string; value: unknown }> };
    assert.deepEqual(
      body.flags.map((f) => [f.key, f.value]),
      [
        ['flag1', 'variant1'],
        ['flag_boolean', true],
      ],
    );
    const second = await post({ 'if-none-match': etag! });
    assert.equal(second.status, 304);
    // The same helper as the snapshot: strong form, unquoted form and lists match weakly.
    const opaque = etag!.slice(3, -1);
    assert.equal((await post({ 'if-none-match': `"${opaque}"` })).status, 304);
    assert.equal((await post({ 'if-none-match': opaque })).status, 304);
    assert.equal((await post({ 'if-none-match': `"old", ${etag}` })).status, 304);
    assert.equal((await post({ 'if-none-match': '"old"' })).status, 200);
    const nsHeader = await post({ 'x-flipt-namespace': 'nope' });
    assert.equal(nsHeader.status, 404);
  });

  it('serves the provider configuration Flipt still offers', async () => {
    const res = await fetch(`${server.url}/ofrep/v1/configuration`);
    const body = (await res.json()) as Body;
    assert.equal(body.name, 'flipt');
    assert.deepEqual(body.capabilities.flagEvaluation.supportedTypes, ['string', 'boolean']);
  });
});
