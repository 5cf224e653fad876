import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type GrpcError, status, type Unary, unaryClient } from './support/grpc-client.ts';
import { type Harness, startHarness } from './support/harness.ts';
import { fromGrpc, fromRest } from './support/normalize.ts';

// DataService (client snapshot) and OFREP over gRPC, against their REST routes.

describe('gRPC DataService and OFREP', () => {
  let h: Harness;
  let data: Record<string, Unary> & { close(): void };
  let ofrep: Record<string, Unary> & { close(): void };

  before(async () => {
    h = await startHarness();
    data = unaryClient(h.address, 'flipt.evaluation.DataService');
    ofrep = unaryClient(h.address, 'flipt.ofrep.OFREPService');
  });
  after(async () => {
    data.close();
    ofrep.close();
    await h.close();
  });

  for (const version of [undefined, '1.47.0']) {
    it(`EvaluationSnapshotNamespace matches the REST snapshot (client version ${version ?? 'absent'})`, async () => {
      const headers: Record<string, string> = version ? { 'x-flipt-accept-server-version': version } : {};
      const answer = await data.EvaluationSnapshotNamespace!({ key: 'default' }, headers);
      const rest = await h.restJson(
        'GET',
        '/internal/v1/evaluation/snapshot/namespace/default',
        undefined,
        headers,
      );
      assert.equal(rest.status, 200);
      assert.deepEqual(fromGrpc(answer), fromRest(rest.body));
      // Clients older than 1.38.0 (or silent) see ENTITY_ID constraints as UNKNOWN (docs/client-snapshot.md).
      const types = JSON.stringify(answer).match(/"(ENTITY_ID|UNKNOWN)_CONSTRAINT_COMPARISON_TYPE"/g) ?? [];
      assert.ok(types.length > 0);
      const expected = version ? 'ENTITY_ID' : 'UNKNOWN';
      assert.ok(
        types.every((t) => t.startsWith(`"${expected}`)),
        `gated by client version: ${types.join()}`,
      );
    });
  }

  it('an unknown namespace snapshot is NOT_FOUND like REST', async () => {
    const error = (await data.EvaluationSnapshotNamespace!({ key: 'nope' }).catch(
      (e: unknown) => e,
    )) as GrpcError;
    assert.equal(error.code, status.NOT_FOUND);
    const rest = await h.restJson('GET', '/internal/v1/evaluation/snapshot/namespace/nope');
    assert.equal(error.details, rest.body['message']);
  });

  it('OFREP EvaluateFlag matches POST /ofrep/v1/evaluate/flags/flag_001', async () => {
    const context = { targetingKey: 'some-fixed-entity-id', in_segment: 'segment_005' };
    const answer = await ofrep.EvaluateFlag!({ key: 'flag_001', context });
    assert.equal(answer['reason'], 'TARGETING_MATCH');
    assert.equal(answer['variant'], 'variant_002');
    const rest = await h.restJson('POST', '/ofrep/v1/evaluate/flags/flag_001', { context });
    assert.equal(rest.status, 200);
    assert.deepEqual(fromGrpc(answer, { valueKeys: ['value'] }), fromRest(rest.body));
  });

  it('OFREP reads the namespace from x-flipt-namespace metadata', async () => {
    const error = (await ofrep.EvaluateFlag!(
      { key: 'flag_001', context: { targetingKey: 'x' } },
      { 'x-flipt-namespace': 'nope' },
    ).catch((e: unknown) => e)) as GrpcError;
    assert.equal(error.code, status.NOT_FOUND);
  });

  it('OFREP EvaluateBulk evaluates the listed flags like REST', async () => {
    const context = { targetingKey: 'some-fixed-entity-id', flags: 'flag_001,flag_boolean' };
    const answer = await ofrep.EvaluateBulk!({ context });
    const flags = answer['flags'] as Array<Record<string, unknown>>;
    assert.deepEqual(
      flags.map((f) => f['key']),
      ['flag_001', 'flag_boolean'],
    );
    const rest = await h.restJson('POST', '/ofrep/v1/evaluate/flags', { context });
    assert.equal(rest.status, 200);
    assert.deepEqual(
      fromGrpc(answer, { valueKeys: ['value'] }),
      fromRest({ flags: (rest.body['flags'] as unknown[]) ?? [] }),
    );
  });

  it('OFREP GetProviderConfiguration names flipt', async () => {
    const answer = await ofrep.GetProviderConfiguration!({});
    assert.equal(answer['name'], 'flipt');
    assert.deepEqual(
      (answer['capabilities'] as { flagEvaluation: { supportedTypes: string[] } }).flagEvaluation
        .supportedTypes,
      ['string', 'boolean'],
    );
  });
});
