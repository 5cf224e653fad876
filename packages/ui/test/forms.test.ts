import assert from 'node:assert/strict';
import { test } from 'node:test';
import { evenSplit, maxFor, setShare, total } from '../src/flag/distribution-math.ts';
import { localToRfc3339, oneOfValue, operatorsFor } from '../src/segment/constraint-kinds.ts';

// The rules the UI's forms enforce before anything reaches the server.

test("a new rule's default split is Flipt's: hundredths, remainder to the first variants", () => {
  assert.deepEqual(evenSplit(3), [33.34, 33.33, 33.33]);
  assert.deepEqual(evenSplit(2), [50, 50]);
  assert.deepEqual(
    evenSplit(7).reduce((a, b) => a + b * 100, 0),
    10000,
  );
  assert.deepEqual(evenSplit(0), []);
});

test('a share can never push the total above 100', () => {
  assert.equal(maxFor([30, 50], 1), 70);
  assert.deepEqual(setShare([30, 50], 1, 80), [30, 70]);
  assert.deepEqual(setShare([30, 70], 0, -5), [0, 70]);
  assert.deepEqual(setShare([33.33, 33.33, 33.33], 2, 50), [33.33, 33.33, 33.34]);
  assert.deepEqual(setShare([10, 20], 0, Number.NaN), [0, 20]);
  assert.equal(total([33.34, 33.33, 33.33]), 100);
});

test('operators offered per type are the ones the API accepts, minus those that never match', () => {
  assert.deepEqual(operatorsFor('BOOLEAN_COMPARISON_TYPE'), ['true', 'false', 'present', 'notpresent']);
  assert.ok(operatorsFor('NUMBER_COMPARISON_TYPE').includes('isoneof'));
  assert.ok(!operatorsFor('DATETIME_COMPARISON_TYPE').includes('isoneof'));
  assert.deepEqual(operatorsFor('ENTITY_ID_COMPARISON_TYPE'), [
    'eq',
    'neq',
    'isoneof',
    'isnotoneof',
    'contains',
    'notcontains',
  ]);
});

test('"one of" lists become the JSON arrays Flipt stores', () => {
  assert.deepEqual(oneOfValue('STRING_COMPARISON_TYPE', [' pro', 'enterprise ', '']), {
    value: '["pro","enterprise"]',
  });
  assert.deepEqual(oneOfValue('NUMBER_COMPARISON_TYPE', ['1', '2.5']), { value: '[1,2.5]' });
  assert.deepEqual(oneOfValue('NUMBER_COMPARISON_TYPE', ['1', 'two']), {
    problem: 'every item must be a number',
  });
  assert.deepEqual(oneOfValue('STRING_COMPARISON_TYPE', []), { problem: 'add at least one item' });
  assert.match(
    oneOfValue('STRING_COMPARISON_TYPE', Array.from({ length: 101 }, String)).problem ?? '',
    /at most 100/,
  );
});

test('a picked local date-time is sent as RFC 3339 UTC', () => {
  const sent = localToRfc3339('2026-03-01T12:30');
  assert.equal(new Date(sent).getTime(), new Date(2026, 2, 1, 12, 30).getTime());
  assert.match(sent, /^2026-03-01T\d\d:30:00Z$/);
  assert.equal(localToRfc3339('not a date'), '');
});
