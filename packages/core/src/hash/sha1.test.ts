import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { sha1Hex } from './sha1.ts';
import { StableIdPrefix, stableId } from './stable-id.ts';

test('sha1Hex matches node:crypto on short, block-boundary and multibyte input', () => {
  const inputs = ['', 'abc', 'a'.repeat(55), 'a'.repeat(56), 'a'.repeat(64), 'a'.repeat(1000), 'héllo ✓ 🚩'];
  for (const input of inputs) {
    assert.equal(
      sha1Hex(input),
      createHash('sha1').update(input).digest('hex'),
      `input of length ${input.length}`,
    );
  }
});

test('stableId is a deterministic version-5 style UUID that differs per part list', () => {
  const id = stableId('default', 'flag_001', 'variant', 'variant_001');
  assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(id, stableId('default', 'flag_001', 'variant', 'variant_001'));
  // Ids are stored and compared across replicas and releases: the value itself must not drift.
  assert.equal(id, 'fc5d8a6d-fe55-5ac5-864d-041129e75e10');
  assert.notEqual(id, stableId('default', 'flag_001', 'variant', 'variant_002'));
  assert.notEqual(stableId('a', 'bc'), stableId('ab', 'c'));
});

test('ids from a common prefix equal stableId of all the parts', () => {
  const flag = new StableIdPrefix('default', 'flag', 'flag_001');
  assert.equal(flag.id(), stableId('default', 'flag', 'flag_001'));
  assert.equal(flag.id('variant', 'v1'), stableId('default', 'flag', 'flag_001', 'variant', 'v1'));
  assert.equal(
    flag.id('rule', 3, 'distribution', 0),
    stableId('default', 'flag', 'flag_001', 'rule', 3, 'distribution', 0),
  );
  assert.equal(new StableIdPrefix(7).id('x'), stableId(7, 'x'));
});
