import assert from 'node:assert/strict';
import { test } from 'node:test';
import { constraint, oneConstraintSnapshot } from '../../test/evaluation/snapshot-builders.ts';
import { createEvaluator } from './create-evaluator.ts';

type Context = Record<string, string>;

function matches(
  type: 'STRING' | 'ENTITY_ID',
  operator: string,
  value: string,
  context: Context,
  entityId = 'e',
) {
  const evaluator = createEvaluator(oneConstraintSnapshot(constraint(type, 'p', operator, value)));
  return evaluator.variant({ flagKey: 'f', entityId, context }).match;
}

test('STRING eq and neq compare exactly, without trimming', () => {
  assert.equal(matches('STRING', 'eq', 'a', { p: 'a' }), true);
  assert.equal(matches('STRING', 'eq', 'a', { p: ' a' }), false);
  assert.equal(matches('STRING', 'eq', 'a', { p: 'A' }), false);
  assert.equal(matches('STRING', 'neq', 'a', { p: 'b' }), true);
  assert.equal(matches('STRING', 'neq', 'a', { p: 'a' }), false);
});

test('a missing or empty property fails every STRING operator except empty/notempty (docs/evaluation.md)', () => {
  for (const operator of ['eq', 'neq', 'prefix', 'suffix', 'contains', 'notcontains']) {
    assert.equal(matches('STRING', operator, 'x', {}), false, operator);
    assert.equal(matches('STRING', operator, 'x', { p: '' }), false, operator);
  }
  assert.equal(matches('STRING', 'isnotoneof', '["x"]', {}), false);
  assert.equal(matches('STRING', 'isoneof', '[""]', { p: '' }), false);
  assert.equal(matches('STRING', 'empty', '', {}), true);
  assert.equal(matches('STRING', 'notempty', '', {}), false);
});

test('empty/notempty trim Go whitespace (U+0085 is space, U+FEFF is not)', () => {
  assert.equal(matches('STRING', 'empty', '', { p: ' \t\n\r\v\f\u00a0\u0085\u2028\u3000' }), true);
  assert.equal(matches('STRING', 'notempty', '', { p: ' \t ' }), false);
  assert.equal(matches('STRING', 'empty', '', { p: '\ufeff' }), false);
  assert.equal(matches('STRING', 'notempty', '', { p: ' a ' }), true);
});

test('prefix and suffix apply to the trimmed value, the constraint value is not trimmed', () => {
  assert.equal(matches('STRING', 'prefix', 'ab', { p: '  abc' }), true);
  assert.equal(matches('STRING', 'suffix', 'bc', { p: 'abc \n' }), true);
  assert.equal(matches('STRING', 'prefix', ' ab', { p: ' abc' }), false);
  assert.equal(matches('STRING', 'suffix', 'c ', { p: 'abc ' }), false);
  assert.equal(matches('STRING', 'prefix', 'abcd', { p: ' abc ' }), false);
  assert.equal(matches('STRING', 'suffix', 'x', { p: 'xa' }), false);
  // The trimmed value must itself contain the whole prefix/suffix, not overlap the spaces.
  assert.equal(matches('STRING', 'suffix', 'a', { p: ' ' }), false);
});

test('contains and notcontains test substrings', () => {
  assert.equal(matches('STRING', 'contains', 'ell', { p: 'hello' }), true);
  assert.equal(matches('STRING', 'contains', 'xyz', { p: 'hello' }), false);
  assert.equal(matches('STRING', 'notcontains', 'xyz', { p: 'hello' }), true);
  assert.equal(matches('STRING', 'notcontains', 'ell', { p: 'hello' }), false);
});

test('isoneof/isnotoneof use the JSON array; an unparsable array matches nothing for both', () => {
  assert.equal(matches('STRING', 'isoneof', '["a","b"]', { p: 'b' }), true);
  assert.equal(matches('STRING', 'isoneof', '["a","b"]', { p: 'c' }), false);
  assert.equal(matches('STRING', 'isnotoneof', '["a","b"]', { p: 'c' }), true);
  assert.equal(matches('STRING', 'isnotoneof', '["a","b"]', { p: 'a' }), false);
  for (const bad of ['a,b', '["a",1]', '{"a":1}', '']) {
    assert.equal(matches('STRING', 'isoneof', bad, { p: 'a' }), false, bad);
    assert.equal(matches('STRING', 'isnotoneof', bad, { p: 'z' }), false, bad);
  }
});

test('an unknown operator never matches', () => {
  assert.equal(matches('STRING', 'gt', 'a', { p: 'b' }), false);
  assert.equal(matches('STRING', 'EQ', 'a', { p: 'a' }), false);
});

test('ENTITY_ID compares the request entityId with string semantics, ignoring the context', () => {
  assert.equal(matches('ENTITY_ID', 'eq', 'user@flipt.io', {}, 'user@flipt.io'), true);
  assert.equal(matches('ENTITY_ID', 'eq', 'user@flipt.io', { p: 'user@flipt.io' }, 'other'), false);
  assert.equal(matches('ENTITY_ID', 'contains', '@flipt', {}, 'user@flipt.io'), true);
  assert.equal(matches('ENTITY_ID', 'isoneof', '["a","b"]', {}, 'b'), true);
  assert.equal(matches('ENTITY_ID', 'neq', 'x', {}, ''), false);
  assert.equal(matches('ENTITY_ID', 'prefix', 'us', {}, ' user'), true);
});

test('inherited object properties are not context values', () => {
  const evaluator = createEvaluator(oneConstraintSnapshot(constraint('STRING', 'toString', 'empty')));
  assert.equal(evaluator.variant({ flagKey: 'f', entityId: 'e', context: {} }).match, true);
});
