import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildSnapshot, type Snapshot } from '@ensign/core';
import { silentLogger } from '../../src/observability/logger.ts';
import { SnapshotHolder } from '../../src/storage/snapshot-holder.ts';
import { recordingLogger } from './helpers.ts';

const snapshot = (): Snapshot => buildSnapshot([]);

describe('SnapshotHolder', () => {
  it('says start() is missing when asked for a snapshot too early', () => {
    const holder = new SnapshotHolder(silentLogger(), '/flags');
    assert.throws(() => holder.current(), /storage \/flags has no flags loaded yet/);
    assert.equal(holder.status().state, 'starting');
  });

  it('stays starting (with the error) when the first load fails', () => {
    const holder = new SnapshotHolder(silentLogger(), 'x');
    holder.fail('a.yml:1: boom');
    assert.deepEqual(
      { state: holder.status().state, error: holder.status().error },
      { state: 'starting', error: 'a.yml:1: boom' },
    );
    assert.equal(holder.hasSnapshot, false);
  });

  it('serves the last good snapshot while degraded and clears the error on recovery', () => {
    const holder = new SnapshotHolder(silentLogger(), 'x');
    const good = snapshot();
    holder.publish(good, new Date('2026-11-25T10:00:00Z'));
    holder.fail('a.yml:3: bad', new Date('2026-11-25T10:01:00Z'));
    assert.equal(holder.current(), good);
    assert.deepEqual(holder.status(), {
      state: 'degraded',
      error: 'a.yml:3: bad',
      lastSuccessAt: '2026-11-25T10:00:00.000Z',
      lastFailureAt: '2026-11-25T10:01:00.000Z',
    });
    const next = snapshot();
    holder.publish(next, new Date('2026-11-25T10:02:00Z'));
    assert.equal(holder.current(), next);
    assert.deepEqual(holder.status(), {
      state: 'ok',
      lastSuccessAt: '2026-11-25T10:02:00.000Z',
      lastFailureAt: '2026-11-25T10:01:00.000Z',
    });
  });

  it('notifies every listener even if one throws, and stops after unsubscribe', () => {
    const { logger, records } = recordingLogger();
    const holder = new SnapshotHolder(logger, 'x');
    const seen: Snapshot[] = [];
    holder.onChange(() => {
      throw new Error('listener bug');
    });
    const unsubscribe = holder.onChange((s) => seen.push(s));
    const first = snapshot();
    holder.publish(first);
    unsubscribe();
    holder.publish(snapshot());
    assert.deepEqual(seen, [first]);
    assert.equal(records.filter((r) => r['msg'] === 'snapshot listener failed').length, 2);
  });

  it('logs a problem once, a different problem again, and the recovery', () => {
    const { logger, records } = recordingLogger();
    const holder = new SnapshotHolder(logger, 'x');
    holder.publish(snapshot());
    holder.fail('a.yml:1: one');
    holder.fail('a.yml:1: one');
    holder.fail('a.yml:2: two');
    holder.publish(snapshot());
    const messages = records.map((r) => `${String(r['level'])} ${String(r['problems'] ?? r['msg'])}`);
    assert.deepEqual(messages, [
      'warn a.yml:1: one',
      'warn a.yml:2: two',
      'info storage recovered, serving the new snapshot',
    ]);
  });
});
