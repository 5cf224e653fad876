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
  /** Storage type for /meta/info (`local`, `database`, ...). */
  readonly type: string;
  close(): Promise<void>;
}
