import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadFeatures } from '../../src/features/index.ts';
import { readFliptFixture, skipWithoutFliptFixtures } from './flipt-fixtures.ts';
import {
  BASE_FLAG_COUNT,
  BASE_SEGMENT_COUNT,
  COVERAGE_PROPERTIES,
  OPERATOR_PAIRS,
  readonlyStyleFeatureFiles,
  readonlyStyleFiles,
} from './readonly-style.ts';

test('the generated readonly-style dataset is what Flipt publishes for its readonly suite', {
  skip: skipWithoutFliptFixtures,
}, () => {
  for (const file of readonlyStyleFiles()) {
    assert.equal(file.content, readFliptFixture(`flipt-readonly/main/${file.path}`), file.path);
  }
});

test('the base dataset loads without problems: two namespaces of 57 flags and 53 segments', () => {
  const { namespaces, problems } = loadFeatures(readonlyStyleFeatureFiles());
  assert.deepEqual(problems, []);
  assert.deepEqual(
    namespaces.map((n) => [n.namespace.key, n.flags.length, n.segments.length]),
    [
      ['default', BASE_FLAG_COUNT, BASE_SEGMENT_COUNT],
      ['production', BASE_FLAG_COUNT, BASE_SEGMENT_COUNT],
    ],
  );
});

test('coverage adds hundreds of valid flags and segments using every type and operator, from a seed', () => {
  const files = readonlyStyleFeatureFiles({ coverage: 300 });
  assert.deepEqual(files, readonlyStyleFeatureFiles({ coverage: 300 }), 'same seed, same files');
  assert.notDeepEqual(
    files,
    readonlyStyleFeatureFiles({ coverage: 300, seed: 7 }),
    'another seed, other files',
  );
  const { namespaces, problems } = loadFeatures(files);
  assert.deepEqual(problems, []);
  for (const ns of namespaces) {
    assert.equal(ns.flags.length, BASE_FLAG_COUNT + 300);
    assert.equal(ns.segments.length, BASE_SEGMENT_COUNT + 300);
    const used = new Set(ns.segments.flatMap((s) => s.constraints.map((c) => `${c.type} ${c.operator}`)));
    for (const [type, operator] of OPERATOR_PAIRS)
      assert.ok(used.has(`${type} ${operator}`), `${type} ${operator}`);
    for (const property of Object.values(COVERAGE_PROPERTIES)) {
      assert.ok(ns.segments.some((s) => s.constraints.some((c) => c.property === property)));
    }
    assert.ok(ns.flags.some((f) => f.type === 'BOOLEAN_FLAG_TYPE' && f.key.startsWith('flag_cov_')));
    assert.ok(Object.values(ns.rules).some((rules) => rules.some((r) => r.segmentKeys.length > 1)));
  }
});
