import { Counter, type Registry } from 'prom-client';
import { currentCaller } from '../auth/request-identity.ts';
import type { AuditConfig } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import { createDatabaseSink } from './database-sink.ts';
import { type AuditAction, type AuditEvent, type AuditType, actorOf, eventFilter } from './event.ts';
import type { HistoryStore } from './history-store.ts';
import { createLogSink } from './log-sink.ts';
import type { AuditCounters, AuditSink } from './sink.ts';
import { createWebhookSinks } from './webhook-sink.ts';

// Collects one event per successful write and hands them to the sinks in batches: when
// `audit.buffer.capacity` events are waiting, or every `flush_period`. Recording is a push onto
// an array, so auditing never slows a write; sinks deliver on their own time.

export interface Auditor {
  /** Records a successful write by the current caller (if `audit.events` selects it). */
  record(type: AuditType, action: AuditAction, payload: unknown): void;
  /** Delivers what is buffered now. */
  flush(): void;
  close(): Promise<void>;
}

function countersOn(registry: Registry | undefined): AuditCounters {
  const labels = ['sink'] as const;
  const dropped = new Counter({
    name: 'ensign_audit_events_dropped_total',
    help: 'Audit events a sink could not deliver (receiver down past max_backoff_duration, queue full, file error)',
    labelNames: labels,
    registers: registry ? [registry] : [],
  });
  const delivered = new Counter({
    name: 'ensign_audit_events_delivered_total',
    help: 'Audit events delivered to a sink',
    labelNames: labels,
    registers: registry ? [registry] : [],
  });
  return {
    dropped: (sink, n) => dropped.inc({ sink }, n),
    delivered: (sink, n) => delivered.inc({ sink }, n),
  };
}

/** Undefined when no sink is enabled. */
export function createAuditor(
  config: AuditConfig,
  logger: Logger,
  registry?: Registry,
  history?: HistoryStore,
): Auditor | undefined {
  const counters = countersOn(registry);
  const all: AuditSink[] = [];
  if (config.sinks.log.enabled) all.push(createLogSink(config.sinks.log, counters));
  if (config.sinks.webhook.enabled) all.push(...createWebhookSinks(config.sinks.webhook, counters, logger));
  if (history) all.push(createDatabaseSink(history, config.sinks.database, counters, logger));
  if (all.length === 0) return undefined;
  const sinks = all.filter((sink) => !sink.immediate);
  const immediate = all.filter((sink) => sink.immediate);
  const selected = eventFilter(config.events);
  let buffer: AuditEvent[] = [];

  const flush = () => {
    if (buffer.length === 0) return;
    const batch = buffer;
    buffer = [];
    for (const sink of sinks) sink.send(batch);
  };
  const timer = setInterval(flush, config.buffer.flushPeriodMs);
  timer.unref();

  return {
    record(type, action, payload) {
      if (!selected(type, action)) return;
      const event: AuditEvent = {
        version: '0.2',
        type,
        action,
        metadata: { actor: actorOf(currentCaller()) },
        payload,
        timestamp: new Date().toISOString(),
        status: 'success',
      };
      for (const sink of immediate) sink.send([event]);
      if (sinks.length === 0) return;
      buffer.push(event);
      if (buffer.length >= config.buffer.capacity) flush();
    },
    flush,
    async close() {
      clearInterval(timer);
      flush();
      await Promise.all(all.map((sink) => sink.close()));
    },
  };
}
