import assert from 'node:assert/strict';
import { mock, test } from 'node:test';
import { timestampNow } from './request-meta.ts';

test('timestampNow writes what Date#toISOString writes, across minutes, hours, days and years', () => {
  const instants = [
    0,
    999,
    59_999,
    60_000,
    Date.UTC(2026, 10, 30, 13, 59, 59, 999),
    Date.UTC(2026, 10, 30, 14, 0, 0, 0),
    Date.UTC(2026, 10, 30, 14, 0, 9, 7),
    Date.UTC(2026, 11, 31, 23, 59, 59, 990),
    Date.UTC(2027, 0, 1, 0, 0, 0, 10),
    Date.UTC(2024, 1, 29, 12, 30, 5, 50),
    Date.UTC(9999, 11, 31, 23, 59, 59, 999),
    Date.UTC(10000, 0, 1),
  ];
  // Forward and backward in time (clocks step back), then a walk through one minute.
  const walk = Array.from({ length: 3000 }, (_, i) => Date.UTC(2026, 10, 30, 14, 0, 0) + i * 37);
  for (const at of [...instants, ...instants.toReversed(), ...walk]) {
    mock.timers.enable({ apis: ['Date'], now: at });
    try {
      assert.equal(timestampNow(), new Date(at).toISOString(), `at ${at}`);
    } finally {
      mock.timers.reset();
    }
  }
});
