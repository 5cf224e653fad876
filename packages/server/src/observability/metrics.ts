import type { EvaluationMetrics, Snapshot } from '@ensign/core';
import { Counter, Gauge, Registry } from 'prom-client';
import type { SnapshotSource } from '../storage/contract.ts';
import { type HistogramSeries, PlainCounter, PlainHistogram } from './plain-metrics.ts';
import { registerSyncMetrics } from './sync-metrics.ts';

// Prometheus metrics under Flipt's names, so dashboards built for Flipt keep working, plus
// Ensign's own snapshot health. Evaluations sit on the hot path: label children are bound once
// per flag (or per result shape) and cached, so a request costs a map lookup and an increment.

export type { EvaluationMetrics, EvaluationResult } from '@ensign/core';

export interface Metrics extends EvaluationMetrics {
  readonly registry: Registry;
  /** A request that ended in an unexpected (5xx) error. */
  serverError(): void;
  /** Prometheus text exposition of every metric. */
  render(): Promise<string>;
  readonly contentType: string;
}

const LATENCY_BUCKETS_MS = [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 25, 50, 100, 250, 500, 1000];

interface FlagInstruments {
  requests: { value: number };
  latency: HistogramSeries;
}

export function createMetrics(source?: SnapshotSource): Metrics {
  const registry = new Registry();
  const requests = new PlainCounter(
    registry,
    'flipt_evaluations_requests_total',
    'The total number of requested evaluations',
  );
  const results = new PlainCounter(
    registry,
    'flipt_evaluations_results_total',
    'Count of results including match, flag, segment, reason and value',
  );
  // Unlabelled on purpose: failures are mostly unknown flag keys, i.e. client-chosen strings,
  // and labelling by them would let any caller grow the series set without bound.
  const errors = new Counter({
    name: 'flipt_evaluations_errors_total',
    help: 'The total number of requested evaluations that failed',
    registers: [registry],
  });
  const latency = new PlainHistogram(
    registry,
    'flipt_evaluations_latency_milliseconds',
    'The latency of individual evaluations in milliseconds',
    LATENCY_BUCKETS_MS,
  );
  const serverErrors = new Counter({
    name: 'flipt_server_errors_total',
    help: 'The total number of server errors',
    registers: [registry],
  });

  const loadFailures = new Counter({
    name: 'ensign_snapshot_load_failures_total',
    help: 'Failed snapshot loads observed (a broken edit keeps the last good snapshot serving)',
    registers: [registry],
  });
  if (source) registerSyncMetrics(registry, source);
  let lastFailureSeen: string | undefined;
  // Read at scrape time from the source, so the storage code needs no metrics dependency.
  new Gauge({
    name: 'ensign_snapshot_degraded',
    help: '1 while the server serves an older snapshot because the latest load failed',
    registers: [registry],
    collect() {
      if (!source) return;
      const status = source.status();
      if (status.lastFailureAt && status.lastFailureAt !== lastFailureSeen) {
        lastFailureSeen = status.lastFailureAt;
        loadFailures.inc();
      }
      this.set(status.state === 'degraded' ? 1 : 0);
    },
  });
  let versionsOf: Snapshot | undefined;
  new Gauge({
    name: 'ensign_snapshot_version_info',
    help: 'Content version of each namespace currently served (value is always 1)',
    labelNames: ['namespace', 'version'],
    registers: [registry],
    collect() {
      // Nothing is served yet during a start while the database is unreachable.
      if (!source || source.status().state === 'starting') return;
      const snapshot = source.current();
      if (snapshot === versionsOf) return;
      versionsOf = snapshot;
      this.reset();
      for (const ns of snapshot.namespaces) this.labels(ns.namespace.key, ns.version).set(1);
    },
  });

  const perFlag = new Map<string, FlagInstruments>();

  return {
    registry,
    contentType: registry.contentType,
    evaluated(namespaceKey, flagKey, r, durationMs) {
      const flagId = namespaceKey + '\u0000' + flagKey;
      let inst = perFlag.get(flagId);
      if (inst === undefined) {
        const labels = () => ({ namespace: namespaceKey, flag: flagKey });
        inst = { requests: requests.series(flagId, labels), latency: latency.series(flagId, labels) };
        perFlag.set(flagId, inst);
      }
      inst.requests.value++;
      latency.observe(inst.latency, durationMs);
      const matchLabel = r.match ? 'true' : 'false';
      const resultId =
        flagId + '\u0000' + matchLabel + r.segment + '\u0000' + r.reason + '\u0000' + r.value + r.type;
      results.series(resultId, () => ({
        namespace: namespaceKey,
        flag: flagKey,
        match: matchLabel,
        segment: r.segment,
        reason: r.reason,
        value: r.value,
        type: r.type,
      })).value++;
    },
    evaluationFailed() {
      errors.inc();
    },
    serverError() {
      serverErrors.inc();
    },
    render() {
      return registry.metrics();
    },
  };
}
