import type { Logger } from '../observability/logger.ts';
import type { AuditEvent } from './event.ts';
import type { HistoryStore } from './history-store.ts';
import type { AuditCounters, AuditSink } from './sink.ts';

// audit.sinks.database (Ensign): events written to the database as they happen (not held for
// audit.buffer: a flag's history should show a change at once), a few inserts batched per tick.
// A database that is down loses events, counted as dropped, and never fails the write.
// Retention: events older than `retention` and beyond the newest `max_events` are deleted.

const QUEUE_LIMIT = 10_000;
const PRUNE_EVERY_MS = 10 * 60_000;
const CLOSE_WAIT_MS = 5_000;

export interface RetentionOptions {
  retentionMs: number;
  maxEvents: number;
}

export function createDatabaseSink(
  store: HistoryStore,
  retention: RetentionOptions,
  counters: AuditCounters,
  logger: Logger,
): AuditSink {
  let queue: AuditEvent[] = [];
  let running: Promise<void> | undefined;

  async function drain(): Promise<void> {
    while (queue.length > 0) {
      const batch = queue;
      queue = [];
      try {
        await store.append(batch);
        counters.delivered('database', batch.length);
      } catch (error) {
        counters.dropped('database', batch.length);
        logger.warn({ err: error, events: batch.length }, 'audit events dropped: database write failed');
      }
    }
    running = undefined;
  }

  const prune = () => {
    const before = new Date(Date.now() - retention.retentionMs).toISOString();
    store.prune(before, retention.maxEvents).then(
      (n) => {
        if (n > 0) logger.info({ deleted: n }, 'old audit events deleted');
      },
      (error: unknown) => logger.warn({ err: error }, 'audit event retention failed'),
    );
  };
  const timer = setInterval(prune, PRUNE_EVERY_MS);
  timer.unref();
  prune();

  return {
    name: 'database',
    immediate: true,
    send(events) {
      const room = Math.max(0, QUEUE_LIMIT - queue.length);
      queue.push(...events.slice(0, room));
      if (events.length > room) counters.dropped('database', events.length - room);
      // Started on the next tick so that writes landing together share one insert.
      running ??= new Promise<void>((resolve) => setImmediate(resolve)).then(drain);
    },
    async close() {
      clearInterval(timer);
      const pending = running;
      if (pending) await Promise.race([pending, new Promise((r) => setTimeout(r, CLOSE_WAIT_MS).unref())]);
      if (queue.length > 0) counters.dropped('database', queue.splice(0).length);
      await store.close();
    },
  };
}
