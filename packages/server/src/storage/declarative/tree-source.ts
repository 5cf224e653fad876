import { buildSnapshot, loadFeatures, type Snapshot } from '@ensign/core';
import type { Logger } from '../../observability/logger.ts';
import type { SnapshotSource, SourceStatus } from '../contract.ts';
import { formatProblems } from '../problems.ts';
import { SnapshotHolder } from '../snapshot-holder.ts';
import type { FeatureTree, SyncPolicy } from './feature-tree.ts';
import { type FeatureFiles, readFeatureFiles } from './read-tree.ts';
import { ReferenceCache } from './reference-cache.ts';

export interface TreeSourceOptions {
  /** `storage.type`, reported by /meta/info and used in metric names. */
  type: string;
  tree: FeatureTree;
  policy: SyncPolicy;
  /** Follow the tree after start (default true); false loads once, for one-shot commands. */
  watch?: boolean;
}

/** A read-only snapshot source that follows a declarative tree. */
export interface TreeSource extends SnapshotSource {
  readonly location: string;
  /** Looks for a new revision now; resolves once any resulting rebuild is served. */
  refresh(): Promise<void>;
}

/** After a failed sync the next one waits longer, up to this (or the poll interval if longer). */
const MAX_BACKOFF_MS = 60_000;
/** A sync still running after this long shows as an error while it goes on. */
const SLOW_SYNC_MS = 30_000;

export function createTreeSource(options: TreeSourceOptions, logger: Logger): TreeSource {
  return new PipelineSource(options, logger);
}

/**
 * The one pipeline every declarative backend shares: look for a revision, build only when it
 * changed, serve the last good snapshot on any failure, back off while failing, and report
 * what it is doing. Syncs are serialised: a request during a sync schedules one more pass.
 */
class PipelineSource implements TreeSource {
  readonly readOnly = true;
  readonly type: string;
  readonly location: string;
  readonly #tree: FeatureTree;
  readonly #policy: SyncPolicy;
  readonly #follow: boolean;
  readonly #logger: Logger;
  readonly #holder: SnapshotHolder;
  readonly #references: ReferenceCache;
  /** The revision served, and the files it was built from (for the vanish check). */
  #served: FeatureFiles | undefined;
  /** A revision whose content is broken: not rebuilt until the tree moves on. */
  #brokenRevision: string | undefined;
  /** A revision that drops or empties files, waiting out the settle period. */
  #vanishing: { revision: string; since: number } | undefined;
  #failures = 0;
  #errors = 0;
  #lastDurationMs = 0;
  #lastSyncAt: string | undefined;
  #running: Promise<void> | undefined;
  #again = false;
  #closed = false;
  #timer: NodeJS.Timeout | undefined;
  #watcher: { close(): void } | undefined;

  constructor(options: TreeSourceOptions, logger: Logger) {
    this.type = options.type;
    this.#tree = options.tree;
    this.location = options.tree.location;
    this.#policy = options.policy;
    this.#follow = options.watch !== false;
    this.#logger = logger.child({ storage: options.type });
    this.#holder = new SnapshotHolder(this.#logger, this.location);
    this.#references = new ReferenceCache(options.tree, (files) => this.#build(files));
  }

  async start(): Promise<void> {
    await this.refresh();
    if (!this.#holder.hasSnapshot) {
      await this.#tree.close?.();
      throw new Error(
        `cannot load feature files from ${this.location}:\n${this.#holder.status().error ?? 'unknown error'}`,
      );
    }
    if (!this.#follow || this.#closed) return;
    this.#watcher = this.#tree.watch?.(() => void this.refresh());
    this.#schedule();
  }

  current(): Snapshot {
    return this.#holder.current();
  }

  /** The snapshot at a per-request `reference`; the served one when the tree has no such notion. */
  async at(reference: string): Promise<Snapshot> {
    if (reference === '' || !this.#tree.resolve) return this.current();
    return this.#references.snapshotAt(reference);
  }

  status(): SourceStatus {
    const status = this.#holder.status();
    const flags = this.#holder.hasSnapshot
      ? this.current().namespaces.reduce((sum, ns) => sum + ns.state.flags.length, 0)
      : 0;
    return {
      ...status,
      location: this.location,
      ...(this.#served ? { revision: this.#served.revision } : {}),
      ...(this.#lastSyncAt ? { lastSyncAt: this.#lastSyncAt } : {}),
      sync: { errors: this.#errors, lastDurationMs: this.#lastDurationMs, flags },
    };
  }

  onChange(listener: (snapshot: Snapshot) => void): () => void {
    return this.#holder.onChange(listener);
  }

  refresh(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    if (this.#running) {
      this.#again = true;
      return this.#running;
    }
    this.#running = (async () => {
      try {
        do {
          this.#again = false;
          await this.#syncWatched();
        } while (this.#again && !this.#closed);
      } finally {
        this.#running = undefined;
      }
    })();
    return this.#running;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    clearTimeout(this.#timer);
    this.#watcher?.close();
    await this.#running;
    await this.#tree.close?.();
  }

  /** Polls at the interval while healthy, backing off exponentially while syncs fail. */
  #schedule(): void {
    if (this.#closed) return;
    const interval = this.#policy.pollIntervalMs;
    const delay =
      this.#failures === 0
        ? interval
        : Math.min(interval * 2 ** (this.#failures - 1), Math.max(interval, MAX_BACKOFF_MS));
    this.#timer = setTimeout(() => {
      this.refresh().finally(() => this.#schedule());
    }, delay);
    this.#timer.unref();
  }

  async #syncWatched(): Promise<void> {
    const startedAt = performance.now();
    // A sync that hangs (a black-holed remote) must not look healthy while it hangs.
    const watchdog = setTimeout(
      () => this.#holder.fail(`sync with ${this.location} has not finished after ${SLOW_SYNC_MS / 1000} s`),
      SLOW_SYNC_MS,
    );
    watchdog.unref();
    try {
      await this.#syncOnce();
    } catch (error) {
      this.#failed(error instanceof Error ? error.message : String(error));
    } finally {
      clearTimeout(watchdog);
      this.#lastDurationMs = performance.now() - startedAt;
    }
  }

  async #syncOnce(): Promise<void> {
    const revision = await this.#tree.revision();
    if (revision === this.#served?.revision || revision === this.#brokenRevision) {
      this.#synced(revision === this.#served?.revision);
      return;
    }
    if (this.#policy.quietMs && this.#served) {
      await sleep(this.#policy.quietMs);
      if ((await this.#tree.revision()) !== revision) {
        // Still being written: look again once it has been quiet.
        this.#again = true;
        return;
      }
    }
    const files = await readFeatureFiles(this.#tree, revision);
    if (this.#mustWaitForVanished(files)) return;

    let snapshot: Snapshot;
    try {
      snapshot = this.#build(files);
    } catch (error) {
      // The same content fails the same way: wait for the tree to move on.
      this.#brokenRevision = revision;
      this.#failed(error instanceof Error ? error.message : String(error));
      return;
    }
    const first = this.#served === undefined;
    this.#served = files;
    this.#brokenRevision = undefined;
    this.#vanishing = undefined;
    this.#failures = 0;
    this.#lastSyncAt = new Date().toISOString();
    this.#holder.publish(snapshot);
    this.#logger.info(
      {
        location: this.location,
        revision,
        files: files.files.length,
        namespaces: snapshot.namespaces.length,
      },
      first ? 'feature files loaded' : 'feature files changed, new snapshot served',
    );
  }

  /** Builds a snapshot; throws with `file:line: message` lines when the content is broken. */
  #build(files: FeatureFiles): Snapshot {
    // Resources carry the time this content was first loaded; unchanged content is never rebuilt.
    const now = new Date().toISOString();
    const { namespaces, problems } = loadFeatures(files.files, { now });
    const all = [...files.indexProblems, ...problems];
    if (all.length > 0) throw new Error(formatProblems(all));
    return buildSnapshot(namespaces, { now });
  }

  /**
   * True while a revision that removes or empties a served feature file is younger than the
   * settle period; a timer looks again when it ends.
   */
  #mustWaitForVanished(files: FeatureFiles): boolean {
    const settleMs = this.#policy.vanishSettleMs ?? 0;
    if (settleMs <= 0 || !this.#served) return false;
    const now = new Map(files.files.map((file) => [file.path, file.content]));
    const vanished = this.#served.files.some(
      (file) => file.content.trim() !== '' && (now.get(file.path) ?? '').trim() === '',
    );
    if (!vanished) return false;
    if (this.#vanishing?.revision !== files.revision) {
      this.#vanishing = { revision: files.revision, since: Date.now() };
    }
    const waited = Date.now() - this.#vanishing.since;
    if (waited >= settleMs) return false;
    const timer = setTimeout(() => void this.refresh(), settleMs - waited + 10);
    timer.unref();
    return true;
  }

  #synced(healthy: boolean): void {
    this.#lastSyncAt = new Date().toISOString();
    if (healthy) {
      this.#failures = 0;
      this.#holder.confirm();
    }
  }

  #failed(problem: string): void {
    this.#failures++;
    this.#errors++;
    this.#holder.fail(problem);
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
