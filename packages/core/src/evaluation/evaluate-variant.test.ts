import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  booleanFlag,
  constraint,
  distribution,
  rule,
  segment,
  snapshot,
  variantFlag,
} from '../../test/evaluation/snapshot-builders.ts';
import { crc32 } from '../hash/crc32.ts';
import { createEvaluator } from './create-evaluator.ts';

const everyone = segment('everyone', []);
const isA = segment('is-a', [constraint('STRING', 'kind', 'eq', 'a')]);
const isB = segment('is-b', [constraint('STRING', 'kind', 'eq', 'b')]);

/** The first entity id whose variant bucket for `flagKey` satisfies `wanted`. */
function entityWithBucket(flagKey: string, wanted: (bucket: number) => boolean): string {
  for (let i = 0; ; i++) if (wanted(crc32(`${flagKey}entity-${i}`) % 1000)) return `entity-${i}`;
}

test('hash vectors (docs/evaluation.md): 50/50 picks by crc32(flagKey + entityId) % 1000', () => {
  const evaluator = createEvaluator(
    snapshot([
      variantFlag('foo', [rule([everyone], [distribution('first', 50), distribution('second', 50)])]),
      variantFlag('flag_001', [
        rule([everyone], [distribution('variant_001', 50), distribution('variant_002', 50)]),
      ]),
    ]),
  );
  assert.equal(evaluator.variant({ flagKey: 'foo', entityId: '1' }).variantKey, 'first');
  assert.equal(evaluator.variant({ flagKey: 'foo', entityId: '2' }).variantKey, 'second');
  assert.equal(
    evaluator.variant({ flagKey: 'flag_001', entityId: 'some-fixed-entity-id' }).variantKey,
    'variant_002',
  );
});

test('33.33/33.33/33.34 gives float32-truncated buckets 333/666/999, so bucket 999 misses', () => {
  const flag = variantFlag('thirds', [
    rule([everyone], [distribution('x', 33.33), distribution('y', 33.33), distribution('z', 33.34)]),
  ]);
  const evaluator = createEvaluator(snapshot([flag]));
  const pick = (bucket: number) =>
    evaluator.variant({ flagKey: 'thirds', entityId: entityWithBucket('thirds', (b) => b === bucket) })
      .variantKey;
  assert.equal(pick(332), 'x');
  assert.equal(pick(333), 'y');
  assert.equal(pick(665), 'y');
  assert.equal(pick(666), 'z');
  assert.equal(pick(998), 'z');
  // 33.34 * 10 truncates to 333 too: the v1 server leaves bucket 999 unmatched.
  assert.equal(pick(999), '');
});

test('a 0.05% distribution is never chosen and 0% distributions are skipped', () => {
  const evaluator = createEvaluator(
    snapshot([
      variantFlag('tiny', [rule([everyone], [distribution('tiny', 0.05), distribution('rest', 99.95)])]),
      variantFlag('zero', [rule([everyone], [distribution('none', 0), distribution('all', 100)])]),
    ]),
  );
  const zeroBucket = entityWithBucket('tiny', (b) => b === 0);
  assert.equal(evaluator.variant({ flagKey: 'tiny', entityId: zeroBucket }).variantKey, 'rest');
  // 99.95 * 10 truncates to 999, so the last bucket misses.
  const lastBucket = evaluator.variant({
    flagKey: 'tiny',
    entityId: entityWithBucket('tiny', (b) => b === 999),
  });
  assert.equal(lastBucket.match, false);
  for (let i = 0; i < 300; i++) {
    assert.equal(evaluator.variant({ flagKey: 'zero', entityId: `e${i}` }).variantKey, 'all');
  }
});

test('a bucket miss in a matched rule stops with match=false; later rules are not tried', () => {
  const rules = [
    rule([isA], [distribution('half', 50)], { rank: 1 }),
    rule([everyone], [distribution('fallback', 100)], { rank: 2 }),
  ];
  const miss = entityWithBucket('partial', (b) => b >= 500);
  const plain = createEvaluator(snapshot([variantFlag('partial', rules)]));
  assert.deepEqual(
    pickFields(plain.variant({ flagKey: 'partial', entityId: miss, context: { kind: 'a' } })),
    {
      match: false,
      reason: 'UNKNOWN_EVALUATION_REASON',
      variantKey: '',
      variantAttachment: '',
      segmentKeys: ['is-a'],
    },
  );
  const withDefault = createEvaluator(
    snapshot([variantFlag('partial', rules, { defaultVariant: { key: 'dflt', attachment: '{"d":1}' } })]),
  );
  assert.deepEqual(
    pickFields(withDefault.variant({ flagKey: 'partial', entityId: miss, context: { kind: 'a' } })),
    {
      match: false,
      reason: 'DEFAULT_EVALUATION_REASON',
      variantKey: 'dflt',
      variantAttachment: '{"d":1}',
      segmentKeys: ['is-a'],
    },
  );
  const hit = entityWithBucket('partial', (b) => b < 500);
  assert.equal(
    plain.variant({ flagKey: 'partial', entityId: hit, context: { kind: 'a' } }).variantKey,
    'half',
  );
  assert.equal(
    plain.variant({ flagKey: 'partial', entityId: miss, context: { kind: 'b' } }).variantKey,
    'fallback',
  );
});

function pickFields(response: ReturnType<ReturnType<typeof createEvaluator>['variant']>) {
  const { match, reason, variantKey, variantAttachment, segmentKeys } = response;
  return { match, reason, variantKey, variantAttachment, segmentKeys };
}

test('a disabled flag answers FLAG_DISABLED and keeps the default variant', () => {
  const rules = [rule([everyone], [distribution('on', 100)])];
  const evaluator = createEvaluator(
    snapshot([
      variantFlag('off', rules, {
        enabled: false,
        defaultVariant: { key: 'dflt', attachment: '{"a":true}' },
      }),
      variantFlag('bare', rules, { enabled: false }),
    ]),
  );
  assert.deepEqual(pickFields(evaluator.variant({ flagKey: 'off', entityId: 'e' })), {
    match: false,
    reason: 'FLAG_DISABLED_EVALUATION_REASON',
    variantKey: 'dflt',
    variantAttachment: '{"a":true}',
    segmentKeys: [],
  });
  assert.equal(evaluator.variant({ flagKey: 'bare', entityId: 'e' }).variantKey, '');
});

test('a matched rule without distributions is a MATCH with the default variant, if any', () => {
  const evaluator = createEvaluator(
    snapshot([
      variantFlag('nodist', [rule([isA], [])], { defaultVariant: { key: 'dflt' } }),
      variantFlag('nodist-bare', [rule([isA], [])]),
    ]),
  );
  const withDefault = evaluator.variant({ flagKey: 'nodist', entityId: 'e', context: { kind: 'a' } });
  assert.deepEqual(pickFields(withDefault), {
    match: true,
    reason: 'MATCH_EVALUATION_REASON',
    variantKey: 'dflt',
    variantAttachment: '',
    segmentKeys: ['is-a'],
  });
  const bare = evaluator.variant({ flagKey: 'nodist-bare', entityId: 'e', context: { kind: 'a' } });
  assert.equal(bare.match, true);
  assert.equal(bare.variantKey, '');
  const unmatched = evaluator.variant({ flagKey: 'nodist', entityId: 'e', context: { kind: 'b' } });
  assert.deepEqual([unmatched.match, unmatched.reason], [false, 'DEFAULT_EVALUATION_REASON']);
});

test('rules are evaluated by rank, whatever order the document lists them in', () => {
  const evaluator = createEvaluator(
    snapshot([
      variantFlag('ranked', [
        rule([everyone], [distribution('third', 100)], { rank: 3 }),
        rule([everyone], [distribution('first', 100)], { rank: 1 }),
        rule([everyone], [distribution('second', 100)], { rank: 2 }),
      ]),
    ]),
  );
  assert.equal(evaluator.variant({ flagKey: 'ranked', entityId: 'e' }).variantKey, 'first');
});

test('OR needs one matching segment, AND needs all; segmentKeys lists the matched ones', () => {
  const evaluator = createEvaluator(
    snapshot([
      variantFlag('or', [rule([isA, isB, everyone], [distribution('v', 100)])]),
      variantFlag('and', [rule([isA, everyone], [distribution('v', 100)], { and: true })]),
    ]),
  );
  assert.deepEqual(evaluator.variant({ flagKey: 'or', entityId: 'e', context: { kind: 'b' } }).segmentKeys, [
    'is-b',
    'everyone',
  ]);
  assert.deepEqual(evaluator.variant({ flagKey: 'and', entityId: 'e', context: { kind: 'a' } }).segmentKeys, [
    'is-a',
    'everyone',
  ]);
  assert.equal(evaluator.variant({ flagKey: 'and', entityId: 'e', context: { kind: 'b' } }).match, false);
});

test('ALL and ANY segments with no constraints match everyone; ANY needs one constraint otherwise', () => {
  const anyOf = segment(
    'any',
    [constraint('STRING', 'a', 'eq', '1'), constraint('STRING', 'b', 'eq', '2')],
    'ANY',
  );
  const allOf = segment(
    'all',
    [constraint('STRING', 'a', 'eq', '1'), constraint('STRING', 'b', 'eq', '2')],
    'ALL',
  );
  const evaluator = createEvaluator(
    snapshot([
      variantFlag('empty-any', [rule([segment('e', [], 'ANY')], [distribution('v', 100)])]),
      variantFlag('any', [rule([anyOf], [distribution('v', 100)])]),
      variantFlag('all', [rule([allOf], [distribution('v', 100)])]),
    ]),
  );
  assert.equal(evaluator.variant({ flagKey: 'empty-any', entityId: 'e' }).match, true);
  assert.equal(evaluator.variant({ flagKey: 'any', entityId: 'e', context: { b: '2' } }).match, true);
  assert.equal(evaluator.variant({ flagKey: 'any', entityId: 'e', context: { b: '3' } }).match, false);
  assert.equal(evaluator.variant({ flagKey: 'all', entityId: 'e', context: { a: '1' } }).match, false);
  assert.equal(evaluator.variant({ flagKey: 'all', entityId: 'e', context: { a: '1', b: '2' } }).match, true);
});

test('an UNKNOWN-type constraint fails its rule when reached, even behind a failed AND segment', () => {
  const broken = segment('broken', [constraint('UNKNOWN', 'p', 'eq', 'x')]);
  const evaluator = createEvaluator(
    snapshot([
      variantFlag('late', [
        rule([everyone], [distribution('ok', 100)], { rank: 1 }),
        rule([broken], [distribution('never', 100)], { rank: 2 }),
      ]),
      variantFlag('and', [rule([isA, broken], [distribution('v', 100)], { and: true })]),
    ]),
  );
  assert.equal(evaluator.variant({ flagKey: 'late', entityId: 'e' }).variantKey, 'ok');
  assert.throws(() => evaluator.variant({ flagKey: 'and', entityId: 'e', context: { kind: 'b' } }), {
    code: 'invalid_argument',
    message: 'unknown constraint type',
  });
});

test('unknown flags, other namespaces and boolean flags are errors with Flipt messages', () => {
  const evaluator = createEvaluator(
    snapshot([variantFlag('v', [rule([everyone], [distribution('x', 100)])]), booleanFlag('b', [])]),
  );
  assert.throws(() => evaluator.variant({ flagKey: 'nope', entityId: 'e' }), {
    code: 'not_found',
    message: 'flag "default/nope" not found',
  });
  assert.throws(() => evaluator.variant({ namespaceKey: 'other', flagKey: 'v', entityId: 'e' }), {
    code: 'not_found',
    message: 'flag "other/v" not found',
  });
  assert.throws(() => evaluator.variant({ flagKey: 'b', entityId: 'e' }), {
    code: 'invalid_argument',
    message: 'flag type BOOLEAN_FLAG_TYPE invalid',
  });
  assert.equal(
    evaluator.variant({ namespaceKey: '', flagKey: 'v', entityId: 'e', requestId: 'r1' }).requestId,
    'r1',
  );
});

test('segments repeated across rules are shared only when their content is identical', () => {
  const sameKeyOtherContent = segment('is-a', [constraint('STRING', 'kind', 'eq', 'other')]);
  const evaluator = createEvaluator(
    snapshot([
      variantFlag('shared', [
        rule([sameKeyOtherContent], [distribution('first', 100)], { rank: 1 }),
        rule([structuredClone(isA)], [distribution('second', 100)], { rank: 2 }),
        rule([structuredClone(isA)], [distribution('third', 100)], { rank: 3 }),
      ]),
    ]),
  );
  assert.equal(
    evaluator.variant({ flagKey: 'shared', entityId: 'e', context: { kind: 'a' } }).variantKey,
    'second',
  );
  assert.equal(
    evaluator.variant({ flagKey: 'shared', entityId: 'e', context: { kind: 'other' } }).variantKey,
    'first',
  );
});
