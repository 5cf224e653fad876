import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  buildNamespaceSnapshot,
  type ComparisonType,
  EnsignError,
  type EvaluationRequest,
  type NamespaceSnapshot,
} from '@ensign/core';
import { Prng } from '../../../core/test/conformance/prng.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { createDatabaseSource, type DatabaseSource } from '../../src/storage/database/index.ts';
import { loadNamespace } from '../../src/storage/database/load-state.ts';
import type { ManagementStore } from '../../src/storage/management-store.ts';
import { allEngines, type TestDatabase } from './engines.ts';

// Differential test of incremental writes: a seeded random sequence of management writes goes
// through a live source, which updates its snapshot by reloading only what each write touched.
// After every write that snapshot must equal one built from scratch out of a full load of the
// same database — management state, client documents for every version gate, content version,
// ETag and evaluation answers — and a second replica loading by polling must serve the same
// version. A failure prints the seed and the write that diverged.

const WRITES = Number(process.env['ENSIGN_INCREMENTAL_WRITES'] ?? 150);
const SEED = Number(process.env['ENSIGN_INCREMENTAL_SEED'] ?? Date.now() % 100_000);
const ns = 'default';

const GATES = ['1.37.1', '1.38.0', '1.47.0'];
const CONTEXTS: Record<string, string>[] = [
  {},
  { plan: 'pro' },
  { plan: 'free', age: '30' },
  { plan: 'pro', age: '70', beta: 'true' },
];

function answers(snapshot: NamespaceSnapshot): unknown[] {
  const out: unknown[] = [];
  for (const flag of snapshot.evaluator.flags()) {
    for (const [i, context] of CONTEXTS.entries()) {
      const request: EvaluationRequest = {
        namespaceKey: ns,
        flagKey: flag.key,
        entityId: `user-${i}`,
        context,
      };
      try {
        out.push(
          flag.type === 'BOOLEAN_FLAG_TYPE'
            ? snapshot.evaluator.boolean(request)
            : snapshot.evaluator.variant(request),
        );
      } catch (error) {
        out.push({ error: (error as Error).message });
      }
    }
  }
  return out;
}

/** One random write; refusals (a segment in use, a missing id) are part of the sequence too. */
function writer(store: ManagementStore, current: () => NamespaceSnapshot, next: () => number) {
  const pick = <T>(items: readonly T[]): T | undefined =>
    items.length === 0 ? undefined : items[Math.floor(next() * items.length)];
  const flagKey = () => pick(current().state.flags.map((f) => f.key)) ?? 'f0';
  const segmentKey = () => pick(current().state.segments.map((s) => s.key)) ?? 's0';
  const some = () => `${Math.floor(next() * 8)}`;
  let counter = 0;
  const writes: [string, () => Promise<unknown>][] = [
    [
      'createFlag',
      () =>
        store.createFlag({
          namespaceKey: ns,
          key: `f${counter++}`,
          name: 'F',
          description: '',
          enabled: next() < 0.8,
          type: next() < 0.3 ? 'BOOLEAN_FLAG_TYPE' : 'VARIANT_FLAG_TYPE',
        }),
    ],
    [
      'updateFlag',
      () => {
        const flag = current().flag(flagKey());
        return store.updateFlag({
          namespaceKey: ns,
          key: flag?.key ?? 'missing',
          name: `F${some()}`,
          description: some(),
          enabled: next() < 0.5,
          defaultVariantId: next() < 0.5 ? (pick(flag?.variants ?? [])?.id ?? '') : '',
        });
      },
    ],
    ['deleteFlag', () => store.deleteFlag({ namespaceKey: ns, key: flagKey() })],
    [
      'createVariant',
      () =>
        store.createVariant({
          namespaceKey: ns,
          flagKey: flagKey(),
          key: `v${counter++}`,
          name: '',
          description: '',
          attachment: next() < 0.5 ? `{"n":${some()}}` : '',
        }),
    ],
    [
      'updateVariant',
      () => {
        const key = flagKey();
        const variant = pick(current().flag(key)?.variants ?? []);
        return store.updateVariant({
          namespaceKey: ns,
          flagKey: key,
          id: variant?.id ?? 'missing',
          key: variant?.key ?? 'v',
          name: some(),
          description: '',
          attachment: `{"m":${some()}}`,
        });
      },
    ],
    [
      'deleteVariant',
      () => {
        const key = flagKey();
        const id = pick(current().flag(key)?.variants ?? [])?.id ?? 'missing';
        return store.deleteVariant({ namespaceKey: ns, flagKey: key, id });
      },
    ],
    [
      'createSegment',
      () =>
        store.createSegment({
          namespaceKey: ns,
          key: `s${counter++}`,
          name: 'S',
          description: '',
          matchType: next() < 0.5 ? 'ALL_MATCH_TYPE' : 'ANY_MATCH_TYPE',
        }),
    ],
    [
      'updateSegment',
      () =>
        store.updateSegment({
          namespaceKey: ns,
          key: segmentKey(),
          name: some(),
          description: '',
          matchType: next() < 0.5 ? 'ALL_MATCH_TYPE' : 'ANY_MATCH_TYPE',
        }),
    ],
    ['deleteSegment', () => store.deleteSegment({ namespaceKey: ns, key: segmentKey() })],
    [
      'createConstraint',
      () => {
        const [type, property, operator, value] = pick<[ComparisonType, string, string, string]>([
          ['STRING_COMPARISON_TYPE', 'plan', 'eq', 'pro'],
          ['STRING_COMPARISON_TYPE', 'plan', 'neq', 'free'],
          ['NUMBER_COMPARISON_TYPE', 'age', 'gt', '40'],
          ['BOOLEAN_COMPARISON_TYPE', 'beta', 'true', ''],
          ['ENTITY_ID_COMPARISON_TYPE', 'entityId', 'eq', 'user-1'],
        ])!;
        return store.createConstraint({
          namespaceKey: ns,
          segmentKey: segmentKey(),
          type,
          property,
          operator,
          value,
          description: '',
        });
      },
    ],
    [
      'deleteConstraint',
      () => {
        const key = segmentKey();
        const id = pick(current().segment(key)?.constraints ?? [])?.id ?? 'missing';
        return store.deleteConstraint({ namespaceKey: ns, segmentKey: key, id });
      },
    ],
    [
      'createRule',
      () => {
        const key = flagKey();
        const two = next() < 0.3;
        return store.createRule({
          namespaceKey: ns,
          flagKey: key,
          segmentKey: two ? '' : segmentKey(),
          segmentKeys: two ? [...new Set([segmentKey(), segmentKey()])] : [],
          segmentOperator: next() < 0.5 ? 'OR_SEGMENT_OPERATOR' : 'AND_SEGMENT_OPERATOR',
          rank: current().rules(key).length + 1,
        });
      },
    ],
    [
      'deleteRule',
      () => {
        const key = flagKey();
        const id = pick(current().rules(key))?.id ?? 'missing';
        return store.deleteRule({ namespaceKey: ns, flagKey: key, id });
      },
    ],
    [
      'orderRules',
      () => {
        const key = flagKey();
        const ids = current()
          .rules(key)
          .map((r) => r.id)
          .reverse();
        return store.orderRules({ namespaceKey: ns, flagKey: key, ruleIds: ids });
      },
    ],
    [
      'createDistribution',
      () => {
        const key = flagKey();
        return store.createDistribution({
          namespaceKey: ns,
          flagKey: key,
          ruleId: pick(current().rules(key))?.id ?? 'missing',
          variantId: pick(current().flag(key)?.variants ?? [])?.id ?? 'missing',
          rollout: Math.floor(next() * 50),
        });
      },
    ],
    [
      'createRollout',
      () => {
        const key = flagKey();
        const rank = current().rollouts(key).length + 1;
        return next() < 0.5
          ? store.createRollout({
              namespaceKey: ns,
              flagKey: key,
              rank,
              description: '',
              threshold: { percentage: Math.floor(next() * 100), value: next() < 0.5 },
            })
          : store.createRollout({
              namespaceKey: ns,
              flagKey: key,
              rank,
              description: '',
              segment: {
                segmentKey: segmentKey(),
                segmentKeys: [],
                segmentOperator: 'OR_SEGMENT_OPERATOR',
                value: next() < 0.5,
              },
            });
      },
    ],
    [
      'deleteRollout',
      () => {
        const key = flagKey();
        const id = pick(current().rollouts(key))?.id ?? 'missing';
        return store.deleteRollout({ namespaceKey: ns, flagKey: key, id });
      },
    ],
    [
      'updateNamespace',
      () => store.updateNamespace({ key: ns, name: `Default ${some()}`, description: some() }),
    ],
  ];
  // Creations weigh more, so the namespace grows while everything else keeps happening.
  const weighted = [
    ...writes,
    writes[0]!,
    writes[0]!,
    writes[3]!,
    writes[6]!,
    writes[9]!,
    writes[11]!,
    writes[11]!,
  ];
  // A few creations first, so every sequence works on a namespace of some size.
  let warmUp = 6;
  return async (): Promise<string> => {
    const [name, write] = warmUp-- > 0 ? writes[0]! : pick(weighted)!;
    try {
      await write();
      return name;
    } catch (error) {
      if (error instanceof EnsignError && error.code !== 'unavailable' && error.code !== 'internal')
        return `${name} (refused: ${error.message})`;
      throw error;
    }
  };
}

function assertSame(served: NamespaceSnapshot, fresh: NamespaceSnapshot, where: string): void {
  assert.deepEqual(served.state, fresh.state, `${where}: management state`);
  for (const gate of GATES)
    assert.equal(
      served.clientDocumentJson(gate),
      fresh.clientDocumentJson(gate),
      `${where}: document ${gate}`,
    );
  assert.equal(served.version, fresh.version, `${where}: version`);
  assert.equal(served.etag, fresh.etag, `${where}: etag`);
  assert.deepEqual(answers(served), answers(fresh), `${where}: evaluation answers`);
}

for (const engine of await allEngines()) {
  describe(`incremental snapshot equals a full rebuild on ${engine.name}`, { skip: engine.skip }, () => {
    let database: TestDatabase;
    let source: DatabaseSource;
    let replica: DatabaseSource;

    before(async () => {
      database = await engine.create();
      source = createDatabaseSource({ url: database.url, watch: false }, silentLogger());
      await source.start();
      replica = createDatabaseSource({ url: database.url, watch: false, migrate: false }, silentLogger());
      await replica.start();
    });
    after(async () => {
      await replica?.close();
      await source?.close();
      await database?.drop();
    });

    test(`${WRITES} random writes (seed ${SEED})`, async () => {
      const current = () => source.current().namespace(ns)!;
      const prng = new Prng(SEED);
      const write = writer(source.store, current, () => prng.next());
      const done: string[] = [];
      let mostFlags = 0;
      for (let i = 0; i < WRITES; i++) {
        done.push(await write());
        mostFlags = Math.max(mostFlags, current().state.flags.length);
        const where = `seed ${SEED}, write ${i + 1} (${done.at(-1)})`;
        const loaded = await loadNamespace(source.connection.db, ns);
        assertSame(current(), buildNamespaceSnapshot(loaded!.state), where);
        if (i % 10 === 9 || i === WRITES - 1) {
          await replica.refresh();
          assert.equal(replica.current().namespace(ns)!.etag, current().etag, `${where}: replica etag`);
        }
      }
      const applied = done.filter((name) => !name.includes('refused')).length;
      assert.ok(applied >= WRITES / 2, `most writes apply (${applied} of ${WRITES}): ${done.join(', ')}`);
      // Deletions may win towards the end of some sequences; what matters is that the writes ran
      // against a namespace of some size.
      assert.ok(mostFlags >= 5, `the namespace grew (to ${mostFlags} flags at most)`);
    });
  });
}
