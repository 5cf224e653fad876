import type { EvaluationMetrics, EvaluationResult, Snapshot } from '@ensign/core';
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
  /** Result series this flag has counted, with the result each counts: a flag answers few ways. */
  results: Array<{ result: EvaluationResult; series: { value: number } }>;
}

/** How many result series a flag remembers for the lookup that builds no key. */
const RESULTS_PER_FLAG = 8;

function sameResult(a: EvaluationResult, b: EvaluationResult): boolean {
  return (
    a.match === b.match &&
    a.reason === b.reason &&
    a.value === b.value &&
    a.segment === b.segment &&
    a.type === b.type
  );
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

  // Namespace, then flag: no key string is built (and hashed) per request.
  const perNamespace = new Map<string, Map<string, FlagInstruments>>();
  const instrumentsOf = (namespaceKey: string, flagKey: string): FlagInstruments => {
    let flags = perNamespace.get(namespaceKey);
    if (flags === undefined) {
      flags = new Map();
      perNamespace.set(namespaceKey, flags);
    }
    let inst = flags.get(flagKey);
    if (inst === undefined) {
      const flagId = namespaceKey + '\u0000' + flagKey;
      const labels = () => ({ namespace: namespaceKey, flag: flagKey });
      inst = {
        requests: requests.series(flagId, labels),
        latency: latency.series(flagId, labels),
        results: [],
      };
      flags.set(flagKey, inst);
    }
    return inst;
  };

  return {
    registry,
    contentType: registry.contentType,
    evaluated(namespaceKey, flagKey, r, durationMs) {
      const inst = instrumentsOf(namespaceKey, flagKey);
      inst.requests.value++;
      latency.observe(inst.latency, durationMs);
      const known = inst.results;
      for (let i = 0; i < known.length; i++) {
        if (sameResult(known[i]!.result, r)) {
          known[i]!.series.value++;
          return;
        }
      }
      const matchLabel = r.match ? 'true' : 'false';
      const resultId =
        namespaceKey +
        '\u0000' +
        flagKey +
        '\u0000' +
        matchLabel +
        r.segment +
        '\u0000' +
        r.reason +
        '\u0000' +
        r.value +
        r.type;
      const series = results.series(resultId, () => ({
        namespace: namespaceKey,
        flag: flagKey,
        match: matchLabel,
        segment: r.segment,
        reason: r.reason,
        value: r.value,
        type: r.type,
      }));
      series.value++;
      if (inst.results.length < RESULTS_PER_FLAG) inst.results.push({ result: { ...r }, series });
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
