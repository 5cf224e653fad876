import assert from 'node:assert/strict';
import { test } from 'node:test';
import { readFliptFixture, skipWithoutFliptFixtures } from '../../test/datasets/flipt-fixtures.ts';
import { sdkStyleDocument } from '../../test/datasets/sdk-style.ts';
import { createEvaluator } from './create-evaluator.ts';

// The answers Flipt's SDK integration tests expect for their snapshot, checked on the same inputs
// against the snapshot Ensign builds from the sdk-style dataset, and against Flipt's own
// state.json when its fixtures are available.

const sources = [
  { name: 'the sdk-style document Ensign builds', load: () => sdkStyleDocument(), skip: false as const },
  {
    name: "flipt-client-sdks' state.json",
    load: () => JSON.parse(readFliptFixture('flipt-client-sdks/flipt-evaluation/state.json')),
    skip: skipWithoutFliptFixtures,
  },
];

for (const source of sources)
  test(`${source.name} evaluates like Flipt's SDK integration tests`, { skip: source.skip }, () => {
    const evaluator = createEvaluator(source.load());
    const context = { fizz: 'buzz' };
    const variant = evaluator.variant({ flagKey: 'flag1', entityId: 'someentity', context });
    assert.deepEqual(
      [variant.match, variant.reason, variant.variantKey, variant.segmentKeys],
      [true, 'MATCH_EVALUATION_REASON', 'variant1', ['segment1']],
    );
    const boolean = evaluator.boolean({ flagKey: 'flag_boolean', entityId: 'someentity', context });
    assert.deepEqual(
      [boolean.enabled, boolean.reason, boolean.segmentKeys],
      [true, 'MATCH_EVALUATION_REASON', ['segment1']],
    );
    assert.equal(evaluator.flags().length, 2);
    const batch = evaluator.batch([
      { flagKey: 'flag1', entityId: 'someentity', context },
      { flagKey: 'flag_boolean', entityId: 'someentity', context },
      { flagKey: 'notfound', entityId: 'someentity', context },
    ]);
    assert.deepEqual(
      batch.responses.map((r) => r.type),
      [
        'VARIANT_EVALUATION_RESPONSE_TYPE',
        'BOOLEAN_EVALUATION_RESPONSE_TYPE',
        'ERROR_EVALUATION_RESPONSE_TYPE',
      ],
    );
  });
