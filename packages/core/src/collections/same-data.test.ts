import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sameData } from './same-data.ts';

const rule = () => ({
  id: 'r1',
  flagKey: 'f',
  segmentKey: 's',
  segmentKeys: [] as string[],
  distributions: [{ id: 'd1', ruleId: 'r1', variantId: 'v1', rollout: 50 }],
  rank: 1,
});

test('equal plain data in distinct objects is the same', () => {
  assert.equal(sameData([rule(), rule()], [rule(), rule()]), true);
  assert.equal(sameData(undefined, undefined), true);
  assert.equal(sameData({}, {}), true);
});

test('any differing field, length, key or kind is different', () => {
  const changed = rule();
  changed.distributions[0]!.rollout = 49;
  assert.equal(sameData([rule()], [changed]), false);
  assert.equal(sameData([rule()], [rule(), rule()]), false);
  assert.equal(sameData({ a: 1 }, { b: 1 }), false);
  assert.equal(sameData({ a: 1 }, { a: 1, b: undefined }), false);
  assert.equal(sameData({ a: undefined }, { b: undefined }), false);
  assert.equal(sameData([1], { 0: 1, length: 1 }), false);
  assert.equal(sameData([rule()], undefined), false);
  assert.equal(sameData(undefined, [rule()]), false);
  assert.equal(sameData(1, '1'), false);
  assert.equal(sameData(null, {}), false);
  assert.equal(sameData(Object.create(null), {}), false);
});
