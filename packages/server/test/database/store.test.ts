import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { EnsignError } from '@ensign/core';
import { silentLogger } from '../../src/observability/logger.ts';
import { createDatabaseSource, type DatabaseSource } from '../../src/storage/database/index.ts';
import { allEngines, libsqlEngine, type TestDatabase } from './engines.ts';

// One test body, run on every engine: the management store's semantics and messages, the
// snapshot it keeps current, and a second replica converging through the poll.

const engines = [...(await allEngines()), libsqlEngine()];

async function rejects(promise: Promise<unknown>, code: string, message: string | RegExp): Promise<void> {
  await assert.rejects(promise, (error: EnsignError) => {
    assert.equal(error.code, code, error.message);
    if (typeof message === 'string') assert.equal(error.message, message);
    else assert.match(error.message, message);
    return true;
  });
}

const ns = 'default';

for (const engine of engines) {
  describe(`database store on ${engine.name}`, { skip: engine.skip }, () => {
    let database: TestDatabase;
    let source: DatabaseSource;

    before(async () => {
      database = await engine.create();
      source = createDatabaseSource({ url: database.url, pollIntervalMs: 100 }, silentLogger());
      await source.start();
    });
    after(async () => {
      await source?.close();
      await database?.drop();
    });

    test('namespaces: create, validation, protection and force', async () => {
      const store = source.store;
      const created = await store.createNamespace({ key: 'team-a', name: 'Team A', description: 'd' });
      assert.equal(created.protected, false);
      assert.match(created.createdAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      await rejects(
        store.createNamespace({ key: 'team-a', name: 'x', description: '' }),
        'invalid_argument',
        'namespace "team-a" is not unique',
      );
      await rejects(
        store.createNamespace({ key: 'bad key', name: 'x', description: '' }),
        'invalid_argument',
        'invalid field key: contains invalid characters',
      );
      await rejects(
        store.createNamespace({ key: 'n', name: '', description: '' }),
        'invalid_argument',
        'invalid field name: must not be empty',
      );
      const updated = await store.updateNamespace({ key: 'team-a', name: 'Team A2', description: '' });
      assert.equal(updated.name, 'Team A2');
      assert.equal(source.current().namespace('team-a')?.namespace.name, 'Team A2');
      await rejects(
        store.deleteNamespace({ key: 'default', force: false }),
        'invalid_argument',
        'namespace "default" is protected',
      );
      await store.createFlag({
        namespaceKey: 'team-a',
        key: 'f',
        name: 'F',
        description: '',
        enabled: true,
        type: 'BOOLEAN_FLAG_TYPE',
      });
      await rejects(
        store.deleteNamespace({ key: 'team-a', force: false }),
        'invalid_argument',
        'namespace "team-a" cannot be deleted; flags must be deleted first',
      );
      await store.deleteNamespace({ key: 'team-a', force: true });
      assert.equal(source.current().namespace('team-a'), undefined);
      await rejects(
        store.updateNamespace({ key: 'team-a', name: 'x', description: '' }),
        'not_found',
        'namespace "team-a" not found',
      );
    });

    test('flags and variants', async () => {
      const store = source.store;
      const flag = await store.createFlag({
        namespaceKey: ns,
        key: 'color',
        name: 'Color',
        description: 'd',
        enabled: true,
        type: 'VARIANT_FLAG_TYPE',
        metadata: { team: 'x' },
      });
      assert.deepEqual(flag.metadata, { team: 'x' });
      assert.deepEqual(flag.variants, []);
      await rejects(
        store.createFlag({
          namespaceKey: ns,
          key: 'color',
          name: 'C',
          description: '',
          enabled: true,
          type: 'VARIANT_FLAG_TYPE',
        }),
        'invalid_argument',
        'flag "default/color" is not unique',
      );
      await rejects(
        store.createFlag({
          namespaceKey: 'nope',
          key: 'x',
          name: 'C',
          description: '',
          enabled: true,
          type: 'VARIANT_FLAG_TYPE',
        }),
        'not_found',
        'namespace "nope" not found',
      );
      const red = await store.createVariant({
        namespaceKey: ns,
        flagKey: 'color',
        key: 'red',
        name: 'Red',
        description: '',
        attachment: '{ "hex" : "#f00" }',
      });
      assert.equal(red.attachment, '{"hex":"#f00"}');
      await rejects(
        store.createVariant({
          namespaceKey: ns,
          flagKey: 'color',
          key: 'red',
          name: '',
          description: '',
          attachment: '',
        }),
        'invalid_argument',
        'variant "red" is not unique for flag "default/color"',
      );
      await rejects(
        store.createVariant({
          namespaceKey: ns,
          flagKey: 'color',
          key: 'x',
          name: '',
          description: '',
          attachment: '{nope',
        }),
        'invalid_argument',
        'invalid field attachment: must be a json string',
      );
      await rejects(
        store.createVariant({
          namespaceKey: ns,
          flagKey: 'color',
          key: 'x',
          name: '',
          description: '',
          attachment: `"${'a'.repeat(1024 * 1000)}"`,
        }),
        'invalid_argument',
        'invalid field attachment: must be less than 1000 KB',
      );
      const blue = await store.createVariant({
        namespaceKey: ns,
        flagKey: 'color',
        key: 'blue',
        name: 'Blue',
        description: '',
        attachment: '',
      });
      await rejects(
        store.updateVariant({ ...blue, namespaceKey: ns, flagKey: 'color', key: 'red' }),
        'invalid_argument',
        'variant "red" is not unique for flag "default/color"',
      );
      await rejects(
        store.updateFlag({
          namespaceKey: ns,
          key: 'color',
          name: 'Color',
          description: '',
          enabled: true,
          defaultVariantId: 'missing',
        }),
        'invalid_argument',
        'variant "missing" not found for flag "default/color"',
      );
      const withDefault = await store.updateFlag({
        namespaceKey: ns,
        key: 'color',
        name: 'Color',
        description: '',
        enabled: false,
        defaultVariantId: blue.id,
      });
      assert.equal(withDefault.defaultVariant?.key, 'blue');
      assert.deepEqual(withDefault.metadata, { team: 'x' }, 'metadata untouched when absent');
      assert.deepEqual(
        withDefault.variants.map((v) => v.key),
        ['red', 'blue'],
      );
      // The same replica sees the write at once: disabled flag answers with its default variant.
      const answer = source.current().namespace(ns)!.evaluator.variant({ flagKey: 'color', entityId: 'e' });
      assert.equal(answer.reason, 'FLAG_DISABLED_EVALUATION_REASON');
      assert.equal(answer.variantKey, 'blue');
      const cleared = await store.updateFlag({
        namespaceKey: ns,
        key: 'color',
        name: 'Color',
        description: '',
        enabled: true,
        defaultVariantId: '',
        metadata: {},
      });
      assert.equal(cleared.defaultVariant, undefined);
      assert.equal(cleared.metadata, undefined);
      await store.updateFlag({
        namespaceKey: ns,
        key: 'color',
        name: 'Color',
        description: '',
        enabled: true,
        defaultVariantId: blue.id,
      });
      await store.deleteVariant({ namespaceKey: ns, flagKey: 'color', id: blue.id });
      assert.equal(source.current().namespace(ns)!.flag('color')!.defaultVariant, undefined);
      await rejects(
        store.updateFlag({
          namespaceKey: ns,
          key: 'nope',
          name: 'x',
          description: '',
          enabled: true,
          defaultVariantId: '',
        }),
        'not_found',
        'flag "default/nope" not found',
      );
    });

    test('segments and constraints', async () => {
      const store = source.store;
      await store.createSegment({
        namespaceKey: ns,
        key: 'users',
        name: 'Users',
        description: '',
        matchType: 'ALL_MATCH_TYPE',
      });
      await rejects(
        store.createSegment({
          namespaceKey: ns,
          key: 'users',
          name: 'Users',
          description: '',
          matchType: 'ALL_MATCH_TYPE',
        }),
        'invalid_argument',
        'segment "default/users" is not unique',
      );
      const base = { namespaceKey: ns, segmentKey: 'users', description: '' };
      await rejects(
        store.createConstraint({
          ...base,
          type: 'BOOLEAN_COMPARISON_TYPE',
          property: 'p',
          operator: 'eq',
          value: 'x',
        }),
        'invalid_argument',
        /invalid field operator/,
      );
      const cleared = await store.createConstraint({
        ...base,
        type: 'STRING_COMPARISON_TYPE',
        property: 'p',
        operator: 'EMPTY',
        value: 'x',
      });
      assert.equal(cleared.operator, 'empty');
      assert.equal(cleared.value, '');
      await rejects(
        store.createConstraint({
          ...base,
          type: 'STRING_COMPARISON_TYPE',
          property: 'p',
          operator: 'eq',
          value: '',
        }),
        'invalid_argument',
        'invalid field value: must not be empty',
      );
      const many = JSON.stringify(Array.from({ length: 101 }, (_, i) => `v${i}`));
      await rejects(
        store.createConstraint({
          ...base,
          type: 'STRING_COMPARISON_TYPE',
          property: 'p',
          operator: 'isoneof',
          value: many,
        }),
        'invalid_argument',
        /has 101 items \(at most 100 allowed\)/,
      );
      const date = await store.createConstraint({
        ...base,
        type: 'DATETIME_COMPARISON_TYPE',
        property: 'd',
        operator: 'gt',
        value: '2024-01-02T03:04:05+02:00',
      });
      assert.equal(date.value, '2024-01-02T01:04:05Z');
      await rejects(
        store.createConstraint({
          ...base,
          type: 'ENTITY_ID_COMPARISON_TYPE',
          property: 'user',
          operator: 'eq',
          value: 'x',
        }),
        'invalid_argument',
        /invalid field property/,
      );
      const updated = await store.updateConstraint({
        ...base,
        id: date.id,
        type: 'NUMBER_COMPARISON_TYPE',
        property: 'n',
        operator: 'gte',
        value: '3',
      });
      assert.equal(updated.value, '3');
      await store.deleteConstraint({ namespaceKey: ns, segmentKey: 'users', id: cleared.id });
      assert.deepEqual(
        source
          .current()
          .namespace(ns)!
          .segment('users')!
          .constraints.map((c) => c.property),
        ['n'],
      );
    });

    test('rules, distributions and ordering', async () => {
      const store = source.store;
      await store.createFlag({
        namespaceKey: ns,
        key: 'rf',
        name: 'RF',
        description: '',
        enabled: true,
        type: 'VARIANT_FLAG_TYPE',
      });
      const on = await store.createVariant({
        namespaceKey: ns,
        flagKey: 'rf',
        key: 'on',
        name: '',
        description: '',
        attachment: '',
      });
      await store.createSegment({
        namespaceKey: ns,
        key: 'all',
        name: 'All',
        description: '',
        matchType: 'ANY_MATCH_TYPE',
      });
      const rule = {
        namespaceKey: ns,
        flagKey: 'rf',
        segmentOperator: 'AND_SEGMENT_OPERATOR' as const,
        rank: 1,
      };
      await rejects(
        store.createRule({ ...rule, segmentKey: 'all', segmentKeys: ['users'] }),
        'invalid_argument',
        'invalid field segmentKey or segmentKeys: only one can be present',
      );
      await rejects(
        store.createRule({ ...rule, segmentKey: 'all', segmentKeys: [], rank: 0 }),
        'invalid_argument',
        /invalid field rank/,
      );
      await rejects(
        store.createRule({ ...rule, segmentKey: 'ghost', segmentKeys: [] }),
        'not_found',
        // Flipt's exact wording, which scripts match on.
        'flag "default/rf" or segment "default/ghost" not found',
      );
      await rejects(
        store.createRule({ ...rule, flagKey: 'no-such-flag', segmentKey: 'all', segmentKeys: [] }),
        'not_found',
        'flag "default/no-such-flag" or segment "default/all" not found',
      );
      const single = await store.createRule({ ...rule, segmentKey: '', segmentKeys: ['all', 'all'] });
      assert.equal(single.segmentKey, 'all');
      assert.deepEqual(single.segmentKeys, []);
      assert.equal(single.segmentOperator, 'OR_SEGMENT_OPERATOR');
      const multi = await store.createRule({
        ...rule,
        segmentKey: '',
        segmentKeys: ['all', 'users'],
        rank: 2,
      });
      assert.deepEqual(multi.segmentKeys, ['all', 'users']);
      assert.equal(multi.segmentOperator, 'AND_SEGMENT_OPERATOR');
      const third = await store.createRule({ ...rule, segmentKey: 'all', segmentKeys: [], rank: 3 });

      await rejects(
        store.createDistribution({
          namespaceKey: ns,
          flagKey: 'rf',
          ruleId: single.id,
          variantId: on.id,
          rollout: 101,
        }),
        'invalid_argument',
        /invalid field rollout/,
      );
      const red = source.current().namespace(ns)!.flag('color')!.variants[0]!;
      await rejects(
        store.createDistribution({
          namespaceKey: ns,
          flagKey: 'rf',
          ruleId: single.id,
          variantId: red.id,
          rollout: 50,
        }),
        'invalid_argument',
        `variant "${red.id}" not found for flag "default/rf"`,
      );
      const dist = await store.createDistribution({
        namespaceKey: ns,
        flagKey: 'rf',
        ruleId: single.id,
        variantId: on.id,
        rollout: 100,
      });
      assert.equal(dist.rollout, 100);
      const answer = source.current().namespace(ns)!.evaluator.variant({ flagKey: 'rf', entityId: 'e' });
      assert.equal(answer.match, true);
      assert.equal(answer.variantKey, 'on');
      await rejects(
        store.deleteSegment({ namespaceKey: ns, key: 'all' }),
        'invalid_argument',
        'segment "default/all" is in use',
      );

      await rejects(
        store.orderRules({ namespaceKey: ns, flagKey: 'rf', ruleIds: [third.id] }),
        'invalid_argument',
        /at least 2/,
      );
      await store.orderRules({ namespaceKey: ns, flagKey: 'rf', ruleIds: [third.id, single.id, multi.id] });
      const ranks = () =>
        source
          .current()
          .namespace(ns)!
          .rules('rf')
          .map((r) => [r.id, r.rank]);
      assert.deepEqual(ranks(), [
        [third.id, 1],
        [single.id, 2],
        [multi.id, 3],
      ]);
      await store.deleteRule({ namespaceKey: ns, flagKey: 'rf', id: third.id });
      assert.deepEqual(ranks(), [
        [single.id, 1],
        [multi.id, 2],
      ]);
      await store.deleteDistribution({
        namespaceKey: ns,
        flagKey: 'rf',
        ruleId: single.id,
        id: dist.id,
        variantId: on.id,
      });
      assert.equal(
        source.current().namespace(ns)!.evaluator.variant({ flagKey: 'rf', entityId: 'e' }).variantKey,
        '',
      );
    });

    test('rollouts', async () => {
      const store = source.store;
      await store.createFlag({
        namespaceKey: ns,
        key: 'bf',
        name: 'BF',
        description: '',
        enabled: false,
        type: 'BOOLEAN_FLAG_TYPE',
      });
      const base = { namespaceKey: ns, flagKey: 'bf', description: '' };
      const first = await store.createRollout({
        ...base,
        rank: 1,
        threshold: { percentage: 100, value: true },
      });
      assert.equal(first.type, 'THRESHOLD_ROLLOUT_TYPE');
      await rejects(
        store.createRollout({ ...base, rank: 1, threshold: { percentage: 5, value: true } }),
        'invalid_argument',
        'rank number: 1 already exists',
      );
      await rejects(
        store.createRollout({ ...base, rank: 2, threshold: { percentage: 101, value: true } }),
        'invalid_argument',
        /threshold.percentage/,
      );
      // Flipt's rollout wording, quirky quote placement included.
      const ghostSegment = {
        segmentKey: 'ghost',
        segmentKeys: [],
        segmentOperator: 'OR_SEGMENT_OPERATOR' as const,
        value: true,
      };
      await rejects(
        store.createRollout({ ...base, rank: 2, segment: ghostSegment }),
        'not_found',
        `flag "${ns}/bf or segment ghost" not found`,
      );
      await rejects(
        store.createRollout({ ...base, flagKey: 'nope', rank: 2, threshold: { percentage: 5, value: true } }),
        'not_found',
        `flag "${ns}/nope" not found`,
      );
      const second = await store.createRollout({
        ...base,
        rank: 2,
        segment: {
          segmentKey: 'users',
          segmentKeys: [],
          segmentOperator: 'OR_SEGMENT_OPERATOR',
          value: false,
        },
      });
      assert.equal(second.segment?.segmentKey, 'users');
      await rejects(
        store.updateRollout({
          ...base,
          id: first.id,
          segment: {
            segmentKey: 'users',
            segmentKeys: [],
            segmentOperator: 'OR_SEGMENT_OPERATOR',
            value: true,
          },
        }),
        'invalid_argument',
        'cannot change type of rollout: have "THRESHOLD_ROLLOUT_TYPE" attempted "SEGMENT_ROLLOUT_TYPE"',
      );
      assert.equal(
        source.current().namespace(ns)!.evaluator.boolean({ flagKey: 'bf', entityId: 'e' }).enabled,
        true,
      );
      await store.updateRollout({ ...base, id: first.id, threshold: { percentage: 0, value: true } });
      await store.orderRollouts({ namespaceKey: ns, flagKey: 'bf', rolloutIds: [second.id, first.id] });
      assert.deepEqual(
        source
          .current()
          .namespace(ns)!
          .rollouts('bf')
          .map((r) => r.id),
        [second.id, first.id],
      );
      await store.deleteRollout({ namespaceKey: ns, flagKey: 'bf', id: second.id });
      assert.deepEqual(
        source
          .current()
          .namespace(ns)!
          .rollouts('bf')
          .map((r) => r.rank),
        [1],
      );
      await rejects(
        store.deleteSegment({ namespaceKey: ns, key: 'users' }),
        'invalid_argument',
        'segment "default/users" is in use',
      );
      await store.deleteFlag({ namespaceKey: ns, key: 'rf' });
      await store.deleteSegment({ namespaceKey: ns, key: 'users' });
      assert.equal(source.current().namespace(ns)!.segment('users'), undefined);
    });

    test('a second replica sees a write within 1 s; listings keep creation order', async () => {
      const replica = createDatabaseSource(
        { url: database.url, pollIntervalMs: 100, migrate: true },
        silentLogger(),
      );
      await replica.start();
      try {
        const startedAt = performance.now();
        await source.store.createFlag({
          namespaceKey: ns,
          key: 'zz-replicated',
          name: 'R',
          description: '',
          enabled: true,
          type: 'BOOLEAN_FLAG_TYPE',
        });
        await source.store.createFlag({
          namespaceKey: ns,
          key: 'aa-after',
          name: 'A',
          description: '',
          enabled: false,
          type: 'BOOLEAN_FLAG_TYPE',
        });
        while (!replica.current().namespace(ns)!.flag('aa-after')) {
          assert.ok(performance.now() - startedAt < 1000, 'replica did not converge within 1 s');
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        assert.equal(
          replica.current().namespace(ns)!.evaluator.boolean({ flagKey: 'zz-replicated', entityId: 'e' })
            .enabled,
          true,
        );
        const keys = replica
          .current()
          .namespace(ns)!
          .state.flags.map((f) => f.key);
        assert.deepEqual(keys.slice(-2), ['zz-replicated', 'aa-after']);
        assert.equal(replica.status().state, 'ok');
      } finally {
        await replica.close();
      }
    });
  });
}
