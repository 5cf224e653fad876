import type { Snapshot } from '@ensign/core';
import type { ManagementStore } from './management-store.ts';

/** What a source reports about its last sync, for /health, logs and metrics. */
export interface SourceStatus {
  /** `ok` while the last load succeeded; `degraded` while serving an older snapshot after a failure. */
  state: 'starting' | 'ok' | 'degraded';
  /** Human-readable description of the current problem (file:line: message ...), if any. */
  error?: string;
  /** ISO time of the last successful load. */
  lastSuccessAt?: string;
  /** ISO time of the last failed load. */
  lastFailureAt?: string;
  /** What is served, as the backend names it: a commit, a manifest digest, a content hash. */
  revision?: string;
  /** Where a declarative source reads from (URL or path, without credentials). */
  location?: string;
  /** ISO time the source last confirmed it serves the latest revision. */
  lastSyncAt?: string;
  /** Counters of a polling source, read by /metrics at scrape time. */
  sync?: SyncCounters;
}

export interface SyncCounters {
  /** Sync attempts that failed (unreachable, refused, broken content). */
  errors: number;
  /** Duration of the last sync attempt, in milliseconds. */
  lastDurationMs: number;
  /** Flags in the snapshot served. */
  flags: number;
}

/**
 * The read contract every storage backend implements. A backend builds a complete Snapshot off
 * the request path and swaps it in atomically; `current()` is a plain field read.
 */
export interface SnapshotSource {
  /** Loads the first snapshot; rejects if there is none to serve. */
  start(): Promise<void>;
  current(): Snapshot;
  status(): SourceStatus;
  /** Called after every swap with the new snapshot. Returns an unsubscribe function. */
  onChange(listener: (snapshot: Snapshot) => void): () => void;
  readonly readOnly: boolean;
  /** The write path of a writable backend; writes through it are served by `current()` on return. */
  readonly store?: ManagementStore;
  /**
   * The snapshot at a per-request `reference` (branch, tag, commit); only sources that
   * version their content (git) have it.
   */
  at?(reference: string): Promise<Snapshot>;
  /** Storage type for /meta/info (`local`, `database`, ...). */
  readonly type: string;
  close(): Promise<void>;
}
