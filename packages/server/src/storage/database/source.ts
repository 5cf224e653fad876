import {
  buildNamespaceSnapshot,
  type ChangeHint,
  emptyDefaultNamespace,
  type NamespaceSnapshot,
  rebuildNamespaceSnapshot,
  type Snapshot,
  snapshotOf,
} from '@ensign/core';
import type { Logger } from '../../observability/logger.ts';
import type { SnapshotSource, SourceStatus } from '../contract.ts';
import type { ManagementStore } from '../management-store.ts';
import { SnapshotHolder } from '../snapshot-holder.ts';
import { type Connection, connect, type DatabaseOptions, MIGRATION_QUERY_TIMEOUT_MS } from './connect.ts';
import { errorText, isConnectionLost, isUnavailable } from './errors.ts';
import { loadChanges } from './load-changes.ts';
import { type LoadedNamespace, listRevisions, loadNamespace } from './load-state.ts';
import { migrate } from './migrate.ts';
import { Mutex } from './mutex.ts';
import { SnapshotFile } from './snapshot-file.ts';
import { createDatabaseStore } from './store.ts';
import type { Touched } from './write-context.ts';

export interface DatabaseSourceOptions extends DatabaseOptions {
  /** How often to look for other replicas' writes (default 300 ms). */
  pollIntervalMs?: number;
  /** Apply pending migrations in start() (default true). */
  migrate?: boolean;
  /** Keep polling after start (default true); false loads once, for one-shot commands. */
  watch?: boolean;
  /**
   * Save every loaded snapshot here (atomically), and serve it when the database is unreachable
   * at start. Unset: nothing is saved.
   */
  snapshotPath?: string;
}

export interface DatabaseSource extends SnapshotSource {
  /** Writes through this store are visible in `current()` as soon as they return. */
  readonly store: ManagementStore;
  readonly connection: Connection;
  /** Polls now; resolves once any change found is served. */
  refresh(): Promise<void>;
}

/** Serves the database's flags from memory; see DbSource for how it stays current. */
export function createDatabaseSource(options: DatabaseSourceOptions, logger: Logger): DatabaseSource {
  return new DbSource(options, logger);
}

const INCREMENTAL_ATTEMPTS = 3;

interface Served extends LoadedNamespace {
  snapshot: NamespaceSnapshot;
}

/**
 * Evaluation reads only the in-memory snapshot. A write on this replica updates its namespace's
 * snapshot before returning, reloading and re-deriving only the flag or segment it touched
 * (load-changes.ts); other replicas' writes are found by polling every namespace's revision (one
 * small query), and only the namespaces whose revision moved are reloaded, in full. While the database is
 * unreachable the last snapshot keeps serving, the status is `degraded`, and writes are refused
 * at once; the poll notices recovery by itself.
 *
 * A replica that starts while the database is unreachable (and watches) does not fail: it serves
 * the snapshot saved on disk, degraded, or answers `unavailable` until the database is back;
 * the poll then finishes the start (migrations included).
 */
class DbSource implements DatabaseSource {
  readonly type = 'database';
  readonly readOnly = false;
  readonly store: ManagementStore;
  readonly connection: Connection;
  readonly #options: DatabaseSourceOptions;
  readonly #logger: Logger;
  readonly #holder: SnapshotHolder;
  // Polls and post-write reloads take turns, so neither publishes over the other's newer state.
  readonly #sync = new Mutex();
  #served = new Map<string, Served>();
  // What each of this replica's committed writes touched, by namespace and revision, until the
  // snapshot has caught up with it: lets a reload replay them instead of loading everything.
  readonly #touched = new Map<string, Map<number, Touched>>();
  #order: string[] = [];
  #problem: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #closed = false;
  #migrated: boolean;
  readonly #file: SnapshotFile | undefined;

  constructor(options: DatabaseSourceOptions, logger: Logger) {
    this.#options = options;
    this.#logger = logger.child({ storage: 'database' });
    this.connection = connect(options, this.#logger);
    this.#holder = new SnapshotHolder(this.#logger, this.connection.label);
    this.store = createDatabaseStore(this.connection, {
      unavailableReason: () => this.#problem,
      committed: (namespaceKey, revision, touched) => this.#afterWrite(namespaceKey, revision, touched),
      unreachable: (error) => this.#unreachable(error),
    });
    this.#migrated = options.migrate === false;
    this.#file = options.snapshotPath
      ? new SnapshotFile(options.snapshotPath, this.connection.label, this.#logger)
      : undefined;
  }

  async start(): Promise<void> {
    const watch = this.#options.watch !== false;
    try {
      await this.#migrate();
    } catch (error) {
      const message = `cannot migrate database ${this.connection.label}: ${errorText(error)}`;
      // Only an unreachable database is worth waiting for; a failing migration is not.
      if (!watch || !isUnavailable(error)) throw new Error(message, { cause: error });
      this.#problem = errorText(error);
      this.#holder.fail(this.#problem);
    }
    if (this.#migrated) await this.refresh();
    if (!this.#holder.hasSnapshot) {
      const message = `cannot load flags from database ${this.connection.label}: ${this.#problem ?? 'unknown error'}`;
      if (!watch) throw new Error(message);
      await this.#serveSavedSnapshot(message);
    }
    if (watch && !this.#closed) this.#schedule();
  }

  /** Flushes pending snapshot saves (tests, shutdown). */
  async saved(): Promise<void> {
    await this.#file?.flushed();
  }

  async #migrate(): Promise<void> {
    if (this.#migrated) return;
    // DDL and waiting for another replica's migration take longer than a query should.
    const migrating = connect(
      {
        ...this.#options,
        queryTimeoutMs: Math.max(this.#options.queryTimeoutMs ?? 0, MIGRATION_QUERY_TIMEOUT_MS),
      },
      this.#logger,
    );
    try {
      const { applied, version } = await migrate(migrating);
      if (applied.length > 0) this.#logger.info({ applied, version }, 'database migrated');
      this.#migrated = true;
    } finally {
      await migrating.db.destroy().catch(() => {});
    }
  }

  async #serveSavedSnapshot(problem: string): Promise<void> {
    const saved = await this.#file?.load();
    if (!saved) {
      this.#logger.warn(
        { problem, snapshotPath: this.#file?.path },
        'database unreachable and no saved snapshot: answering 503 until it is back',
      );
      return;
    }
    this.#holder.publish(saved.snapshot);
    this.#holder.fail(this.#problem ?? problem);
    this.#logger.warn(
      { problem, snapshotPath: this.#file?.path, savedAt: saved.savedAt },
      'database unreachable: serving the snapshot saved on disk until it is back',
    );
  }

  /** A write found the database unreachable: refuse the next ones at once, until a poll succeeds. */
  #unreachable(error: unknown): void {
    this.#problem = errorText(error);
    this.#holder.fail(this.#problem);
  }

  current(): Snapshot {
    return this.#holder.current();
  }

  status(): SourceStatus {
    return this.#holder.status();
  }

  onChange(listener: (snapshot: Snapshot) => void): () => void {
    return this.#holder.onChange(listener);
  }

  refresh(): Promise<void> {
    this.#polling ??= this.#exclusive(() => this.#poll()).finally(() => {
      this.#polling = undefined;
    });
    return this.#polling;
  }

  async close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#timer);
    await this.#polling;
    await this.#sync.lock();
    this.#sync.unlock();
    await this.#file?.flushed();
    await this.connection.db.destroy();
  }

  #schedule(): void {
    this.#timer = setTimeout(async () => {
      await this.refresh();
      if (!this.#closed) this.#schedule();
    }, this.#options.pollIntervalMs ?? 300);
    this.#timer.unref();
  }

  async #exclusive<T>(work: () => Promise<T>): Promise<T> {
    await this.#sync.lock();
    try {
      return await work();
    } finally {
      this.#sync.unlock();
    }
  }

  async #poll(): Promise<void> {
    if (this.#closed) return;
    for (let attempt = 1; ; attempt++) {
      try {
        await this.#pollOnce();
        return;
      } catch (error) {
        // A connection cut while idle fails at once, and the pool's next one may be fine: only
        // a database that cannot be reached at all makes this replica degraded.
        if (isConnectionLost(error) && attempt <= this.connection.poolSize) continue;
        this.#problem = errorText(error);
        this.#holder.fail(this.#problem);
        return;
      }
    }
  }

  async #pollOnce(): Promise<void> {
    await this.#migrate();
    const listed = await listRevisions(this.connection.db);
    let changed = listed.length !== this.#order.length || listed.some((ns, i) => ns.key !== this.#order[i]);
    const next = new Map<string, Served>();
    for (const { key, revision } of listed) {
      const served = this.#served.get(key);
      if (served && served.revision === revision) {
        next.set(key, served);
        continue;
      }
      const loaded = await this.#load(key, served);
      if (!loaded) continue;
      next.set(key, loaded);
      changed = true;
    }
    this.#served = next;
    this.#order = listed.map((ns) => ns.key).filter((key) => next.has(key));
    const recovered = this.#problem !== undefined;
    this.#problem = undefined;
    if (changed || recovered || !this.#holder.hasSnapshot) this.#publish();
  }

  /** Runs inside the write call, after commit: the next request on this replica sees the write. */
  async #afterWrite(key: string, revision: number | undefined, touched: Touched): Promise<void> {
    if (revision !== undefined) {
      const byRevision = this.#touched.get(key) ?? new Map<number, Touched>();
      this.#touched.set(key, byRevision);
      byRevision.set(revision, touched);
    }
    await this.#exclusive(async () => {
      try {
        const served = this.#served.get(key);
        if (served && revision !== undefined && served.revision >= revision) return;
        const loaded = await this.#load(key, served);
        if (!loaded) {
          this.#served.delete(key);
          this.#order = this.#order.filter((k) => k !== key);
        } else {
          if (loaded === served) return;
          this.#served.set(key, loaded);
          if (!this.#order.includes(key)) this.#order.push(key);
        }
        this.#publish();
      } catch (error) {
        // The write is committed; the next poll will load it.
        this.#logger.warn({ err: error, namespace: key }, 'reloading a namespace after a write failed');
      }
    });
  }

  /**
   * The namespace at its current revision: only what this replica's own writes touched when
   * they explain every revision since `served`, otherwise a full load. Undefined once deleted.
   */
  async #load(key: string, served: Served | undefined): Promise<Served | undefined> {
    const touched = this.#touched.get(key);
    const db = this.connection.db;
    let loaded: (LoadedNamespace & { hint?: ChangeHint }) | undefined;
    // Concurrent writers: another of our writes may have committed while this one read, before
    // its own callback recorded what it touched. That record arrives a turn later, so try again
    // a few times before paying for a full load.
    for (let attempt = 0; served && touched && !loaded && attempt < INCREMENTAL_ATTEMPTS; attempt++) {
      if (attempt > 0) await new Promise((resolve) => setImmediate(resolve));
      loaded = await loadChanges(db, served, touched);
    }
    loaded ??= await loadNamespace(db, key);
    if (touched) {
      for (const revision of touched.keys())
        if (!loaded || revision <= loaded.revision) touched.delete(revision);
      if (touched.size === 0) this.#touched.delete(key);
    }
    if (!loaded) return undefined;
    if (loaded === served) return served;
    const { hint, ...rest } = loaded;
    return {
      ...rest,
      snapshot: rebuildNamespaceSnapshot(served?.snapshot, loaded.state, String(loaded.revision), hint),
    };
  }

  #publish(): void {
    const namespaces = this.#order.map((key) => this.#served.get(key)!.snapshot);
    // Flipt always has a default namespace, even if someone force-deleted it.
    if (!this.#served.has('default')) namespaces.unshift(buildNamespaceSnapshot(emptyDefaultNamespace()));
    const snapshot = snapshotOf(namespaces);
    this.#holder.publish(snapshot);
    this.#file?.save(snapshot);
  }
}
