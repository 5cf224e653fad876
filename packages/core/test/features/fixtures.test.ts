import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import {
  exportFeatures,
  isFeatureFile,
  loadFeatures,
  parseIndex,
  type SourceFile,
  selectFeatureFiles,
} from '../../src/features/index.ts';
import { fliptFixturePath, readFliptFixture, skipWithoutFliptFixtures } from '../datasets/flipt-fixtures.ts';
import { readonlyStyleFiles } from '../datasets/readonly-style.ts';
import { SDK_STYLE_PATH, SDK_STYLE_YAML } from '../datasets/sdk-style.ts';

/** The generated readonly-style dataset, selected through its own `.flipt.yml` like a directory would be. */
function readonlySource(): SourceFile[] {
  const files = readonlyStyleFiles();
  const { index } = parseIndex(files.find((f) => f.path === '.flipt.yml')!.content);
  const selected = new Set(selectFeatureFiles([...files.map((f) => f.path), 'README.md'], index));
  return files.filter((f) => selected.has(f.path));
}

/** A folder of Flipt's published fixtures, selected through its index. */
function fliptSource(dir: string): SourceFile[] {
  const { index } = parseIndex(readFliptFixture(`${dir}/.flipt.yml`));
  return selectFeatureFiles(readdirSync(fliptFixturePath(dir)), index).map((path) => ({
    path,
    content: readFliptFixture(`${dir}/${path}`),
  }));
}

test('readonly-style dataset loads through its index', () => {
  const { namespaces, problems } = loadFeatures(readonlySource());
  assert.deepEqual(problems, []);
  assert.deepEqual(
    namespaces.map((n) => [n.namespace.key, n.namespace.name, n.flags.length, n.segments.length]),
    [
      ['default', 'Default', 57, 53],
      ['production', 'Production', 57, 53],
    ],
  );
  const ns = namespaces[0]!;
  assert.equal(ns.namespace.protected, true);
  assert.equal(namespaces[1]!.namespace.protected, false);
  const rollouts = ns.rollouts['flag_boolean']!;
  assert.deepEqual(
    rollouts.map((r) => [r.rank, r.type, r.segment?.segmentKey, r.segment?.value, r.threshold?.percentage]),
    [
      [1, 'SEGMENT_ROLLOUT_TYPE', 'segment_001', true, undefined],
      [2, 'SEGMENT_ROLLOUT_TYPE', 'segment_002', false, undefined],
      [3, 'SEGMENT_ROLLOUT_TYPE', 'segment_003', true, undefined],
      [4, 'SEGMENT_ROLLOUT_TYPE', 'segment_004', false, undefined],
      [5, 'THRESHOLD_ROLLOUT_TYPE', undefined, undefined, 50],
    ],
  );
  const [andRule] = ns.rules['flag_variant_and_segments']!;
  assert.equal(andRule!.segmentKey, '');
  assert.deepEqual(andRule!.segmentKeys, ['segment_001', 'segment_anding']);
  assert.equal(andRule!.segmentOperator, 'AND_SEGMENT_OPERATOR');
  assert.equal(andRule!.distributions.length, 2);
  const entity = ns.segments.find((s) => s.key === 'segment_entity_id')!;
  assert.deepEqual(
    entity.constraints.map((c) => [c.type, c.property, c.operator, c.value]),
    [['ENTITY_ID_COMPARISON_TYPE', 'entityId', 'eq', 'user@flipt.io']],
  );
  const flag1 = ns.flags.find((f) => f.key === 'flag_001')!;
  assert.equal(ns.rules['flag_001']!.length, 50);
  assert.equal(ns.rules['flag_001']![4]!.segmentKey, 'segment_005');
  assert.equal(ns.rules['flag_001']![4]!.distributions[1]!.variantId, flag1.variants[1]!.id);
  assert.equal(flag1.variants[0]!.attachment, '');
  assert.deepEqual(ns.rules['flag_no_distributions']![0]!.distributions, []);
  // Declarative order: by key.
  const keys = ns.flags.map((f) => f.key);
  assert.deepEqual(keys, [...keys].sort());
});

test("Flipt's readonly main dataset loads through its index like the generated one", {
  skip: skipWithoutFliptFixtures,
}, () => {
  assert.deepEqual(loadFeatures(fliptSource('flipt-readonly/main')), loadFeatures(readonlySource()));
});

test('the sdk-style features file loads', () => {
  const sdk = loadFeatures([{ path: SDK_STYLE_PATH, content: SDK_STYLE_YAML }]);
  assert.deepEqual(sdk.problems, []);
  assert.deepEqual(
    sdk.namespaces.map((n) => [n.namespace.key, n.flags.map((f) => f.key), n.segments.map((s) => s.key)]),
    [['default', ['flag1', 'flag_boolean'], ['segment1']]],
  );
});

test("Flipt's readonly alternate dataset and the client-sdks features.yml load", {
  skip: skipWithoutFliptFixtures,
}, () => {
  const alternate = loadFeatures(fliptSource('flipt-readonly/alternate'));
  assert.deepEqual(alternate.problems, []);
  assert.deepEqual(
    alternate.namespaces.map((n) => [n.namespace.key, n.flags.map((f) => `${f.key}:${f.type}:${f.enabled}`)]),
    [
      ['default', ['flag_boolean:BOOLEAN_FLAG_TYPE:true', 'flag_variant:VARIANT_FLAG_TYPE:false']],
      ['production', ['flag_boolean:BOOLEAN_FLAG_TYPE:true', 'flag_variant:VARIANT_FLAG_TYPE:false']],
    ],
  );
  const path = 'features.yml';
  const content = readFliptFixture('flipt-client-sdks/test-fixtures/features.yml');
  const sdk = loadFeatures([{ path, content }]);
  assert.deepEqual(sdk.problems, []);
  assert.ok(sdk.namespaces.some((n) => n.flags.length > 0));
});

test('export round-trips the readonly-style files byte for byte', () => {
  for (const { path, content } of readonlySource()) {
    const { namespaces, problems } = loadFeatures([{ path, content }], { order: 'file' });
    assert.deepEqual(problems, []);
    assert.equal(exportFeatures(namespaces), content);
  }
});

test('ids are deterministic across loads and timestamps come from options.now', () => {
  const files = readonlySource();
  const a = loadFeatures(files, { now: '2026-11-25T00:00:00Z' });
  const b = loadFeatures(files, { now: '2026-11-25T00:00:00Z' });
  assert.deepEqual(a, b);
  assert.equal(a.namespaces[0]!.flags[0]!.createdAt, '2026-11-25T00:00:00Z');
  assert.match(
    a.namespaces[0]!.rules['flag_001']![0]!.id,
    /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
  );
  const ids = new Set(a.namespaces[0]!.flags.flatMap((f) => a.namespaces[0]!.rules[f.key]!.map((r) => r.id)));
  assert.equal(
    ids.size,
    a.namespaces[0]!.flags.reduce((n, f) => n + a.namespaces[0]!.rules[f.key]!.length, 0),
  );
});

test('index defaults, include and exclude', () => {
  const { index, problems } = parseIndex(undefined);
  assert.deepEqual(problems, []);
  assert.equal(isFeatureFile('features.yml', index), true);
  assert.equal(isFeatureFile('a/b/features.yaml', index), true);
  assert.equal(isFeatureFile('team/checkout.features.yml', index), true);
  assert.equal(isFeatureFile('team/flags.yml', index), false);
  const custom = parseIndex(
    'version: "1.0"\ninclude:\n  - "*.yml"\n  - "{a,b}/[xy]?.json"\nexclude:\n  - "**/skip*"\n',
  ).index;
  assert.deepEqual(
    selectFeatureFiles(
      ['z.yml', 'deep/one.yml', 'a/x1.json', 'b/y2.json', 'c/x1.json', 'deep/skip.yml', 'a/z1.json'],
      custom,
    ),
    ['a/x1.json', 'b/y2.json', 'deep/one.yml', 'z.yml'],
  );
  const onlyExclude = parseIndex('exclude:\n  - "old/**"\n').index;
  assert.equal(isFeatureFile('old/features.yml', onlyExclude), false);
  assert.equal(isFeatureFile('new/features.yml', onlyExclude), true);
  assert.deepEqual(
    parseIndex('include: nope\n').problems.map((p) => p.message),
    ['index field "include" must be a list of glob strings'],
  );
});
