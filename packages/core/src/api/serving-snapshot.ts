import type { Evaluator } from '../evaluation/types.ts';

// What the evaluation API reads from a snapshot. The server's snapshots (built from sources)
// and the edge's (compiled from an origin's client documents) both fit it, so both serve the
// same answers through the same services.

export interface ServingNamespace {
  readonly evaluator: Evaluator;
  /** Flipt's ETag for the client snapshot, unquoted. */
  readonly etag: string;
  /** The client snapshot document for a client announcing this version, serialised. */
  clientDocumentJson(acceptServerVersion?: string): string;
}

export interface ServingSnapshot {
  namespace(key: string): ServingNamespace | undefined;
}

/** Where the services read the snapshot of the moment: one read per call. */
export interface SnapshotReader {
  current(): ServingSnapshot;
}

/** The labels of flipt_evaluations_results_total for one evaluation. */
export interface EvaluationResult {
  match: boolean;
  segment: string;
  reason: string;
  /** The variant key, or "true"/"false". */
  value: string;
  type: 'variant' | 'boolean';
}

/** What the evaluation services report; the server counts in Prometheus, the edge may not. */
export interface EvaluationMetrics {
  /** One successful evaluation of an existing flag. */
  evaluated(namespaceKey: string, flagKey: string, result: EvaluationResult, durationMs: number): void;
  /** A failed evaluation (unknown flag, wrong type, ...). */
  evaluationFailed(): void;
}

export const noMetrics: EvaluationMetrics = {
  evaluated() {},
  evaluationFailed() {},
};
