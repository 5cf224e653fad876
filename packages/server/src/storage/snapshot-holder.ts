import { EnsignError, type Snapshot } from '@ensign/core';
import type { Logger } from '../observability/logger.ts';
import type { SourceStatus } from './contract.ts';

/**
 * The state every snapshot source shares: the snapshot being served, its health, and who to
 * tell when it changes. Backends only decide *when* to build; this decides what a failure
 * means (keep serving the last good snapshot, report `degraded`) and logs each distinct
 * problem once rather than on every poll.
 */
export class SnapshotHolder {
  #snapshot: Snapshot | undefined;
  #status: SourceStatus = { state: 'starting' };
  #listeners = new Set<(snapshot: Snapshot) => void>();
  #loggedProblem: string | undefined;
  readonly #logger: Logger;
  readonly #name: string;

  /** `name` identifies the source in log lines (for example the directory it serves). */
  constructor(logger: Logger, name: string) {
    this.#logger = logger;
    this.#name = name;
  }

  get hasSnapshot(): boolean {
    return this.#snapshot !== undefined;
  }

  /** Throws `unavailable` (503) while nothing has loaded, e.g. a start during a database outage. */
  current(): Snapshot {
    if (!this.#snapshot) {
      const reason = this.#status.error ? `: ${this.#status.error}` : '';
      throw new EnsignError('unavailable', `storage ${this.#name} has no flags loaded yet${reason}`);
    }
    return this.#snapshot;
  }

  status(): SourceStatus {
    return { ...this.#status };
  }

  /** Serves `snapshot` from now on, marks the source healthy and notifies listeners. */
  publish(snapshot: Snapshot, at: Date = new Date()): void {
    const recovered = this.#status.state === 'degraded';
    this.#snapshot = snapshot;
    const { lastFailureAt } = this.#status;
    this.#status = {
      state: 'ok',
      lastSuccessAt: at.toISOString(),
      ...(lastFailureAt ? { lastFailureAt } : {}),
    };
    this.#loggedProblem = undefined;
    if (recovered) this.#logger.info({ source: this.#name }, 'storage recovered, serving the new snapshot');
    for (const listener of this.#listeners) {
      try {
        listener(snapshot);
      } catch (error) {
        this.#logger.error({ err: error, source: this.#name }, 'snapshot listener failed');
      }
    }
  }

  /**
   * The source checked and the snapshot served is still the latest: a past failure (an
   * unreachable remote) is over, though nothing changed.
   */
  confirm(at: Date = new Date()): void {
    if (this.#status.state !== 'degraded' || !this.#snapshot) return;
    const { lastFailureAt } = this.#status;
    this.#status = {
      state: 'ok',
      lastSuccessAt: at.toISOString(),
      ...(lastFailureAt ? { lastFailureAt } : {}),
    };
    this.#loggedProblem = undefined;
    this.#logger.info({ source: this.#name }, 'storage reachable again, the snapshot served is current');
  }

  /**
   * Records a failed load. The previous snapshot (if any) keeps serving; the state becomes
   * `degraded`, or stays `starting` when nothing has loaded yet.
   */
  fail(problem: string, at: Date = new Date()): void {
    this.#status = {
      state: this.#snapshot ? 'degraded' : 'starting',
      error: problem,
      lastFailureAt: at.toISOString(),
      ...(this.#status.lastSuccessAt ? { lastSuccessAt: this.#status.lastSuccessAt } : {}),
    };
    if (problem === this.#loggedProblem) return;
    this.#loggedProblem = problem;
    if (this.#snapshot) {
      this.#logger.warn(
        { source: this.#name, problems: problem },
        'storage load failed, still serving the last good snapshot',
      );
    }
  }

  onChange(listener: (snapshot: Snapshot) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }
}
