import {
  buildNamespaceSnapshot,
  emptyDefaultNamespace,
  type NamespaceSnapshot,
  type Snapshot,
  snapshotOf,
} from '@ensign/core';
import type { Logger } from '../../observability/logger.ts';
import type { SnapshotSource, SourceStatus } from '../contract.ts';
import type { ManagementStore } from '../management-store.ts';
import { SnapshotHolder } from '../snapshot-holder.ts';
import { type Connection, connect, type DatabaseOptions } from './connect.ts';
import { errorText } from './errors.ts';
import { listRevisions, loadNamespace } from './load-state.ts';
import { migrate } from './migrate.ts';
import { Mutex } from './mutex.ts';
import { createDatabaseStore } from './store.ts';

export interface DatabaseSourceOptions extends DatabaseOptions {
  /** How often to look for other replicas' writes (default 300 ms). */
  pollIntervalMs?: number;
  /** Apply pending migrations in start() (default true). */
  migrate?: boolean;
  /** Keep polling after start (default true); false loads once, for one-shot commands. */
  watch?: boolean;
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

interface Served {
  revision: number;
  snapshot: NamespaceSnapshot;
}

/**
 * Evaluation reads only the in-memory snapshot. A write on this replica rebuilds its namespace
 * before returning; other replicas' writes are found by polling every namespace's revision (one
 * small query), and only the namespaces whose revision moved are reloaded. While the database is
 * unreachable the last snapshot keeps serving, the status is `degraded`, and writes are refused
 * at once; the poll notices recovery by itself.
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
  #order: string[] = [];
  #problem: string | undefined;
  #timer: NodeJS.Timeout | undefined;
  #polling: Promise<void> | undefined;
  #closed = false;

  constructor(options: DatabaseSourceOptions, logger: Logger) {
    this.#options = options;
    this.#logger = logger.child({ storage: 'database' });
    this.connection = connect(options, this.#logger);
    this.#holder = new SnapshotHolder(this.#logger, this.connection.label);
    this.store = createDatabaseStore(this.connection, {
      unavailableReason: () => this.#problem,
      committed: (namespaceKey) => this.#reloadAfterWrite(namespaceKey),
    });
  }

  async start(): Promise<void> {
    try {
      if (this.#options.migrate !== false) {
        const { applied, version } = await migrate(this.connection);
        if (applied.length > 0) this.#logger.info({ applied, version }, 'database migrated');
      }
    } catch (error) {
      throw new Error(`cannot migrate database ${this.connection.label}: ${errorText(error)}`, {
        cause: error,
      });
    }
    await this.refresh();
    if (!this.#holder.hasSnapshot) {
      throw new Error(
        `cannot load flags from database ${this.connection.label}: ${this.#problem ?? 'unknown error'}`,
      );
    }
    if (this.#options.watch !== false && !this.#closed) this.#schedule();
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
    try {
      const listed = await listRevisions(this.connection.db);
      let changed = listed.length !== this.#order.length || listed.some((ns, i) => ns.key !== this.#order[i]);
      const next = new Map<string, Served>();
      for (const { key, revision } of listed) {
        const served = this.#served.get(key);
        if (served && served.revision === revision) {
          next.set(key, served);
          continue;
        }
        const loaded = await loadNamespace(this.connection.db, key);
        if (!loaded) continue;
        next.set(key, { revision: loaded.revision, snapshot: buildNamespaceSnapshot(loaded.state) });
        changed = true;
      }
      this.#served = next;
      this.#order = listed.map((ns) => ns.key).filter((key) => next.has(key));
      const recovered = this.#problem !== undefined;
      this.#problem = undefined;
      if (changed || recovered || !this.#holder.hasSnapshot) this.#publish();
    } catch (error) {
      this.#problem = errorText(error);
      this.#holder.fail(this.#problem);
    }
  }

  /** Runs inside the write call, after commit: the next request on this replica sees the write. */
  async #reloadAfterWrite(key: string): Promise<void> {
    await this.#exclusive(async () => {
      try {
        const loaded = await loadNamespace(this.connection.db, key);
        if (!loaded) {
          this.#served.delete(key);
          this.#order = this.#order.filter((k) => k !== key);
        } else {
          const served = this.#served.get(key);
          if (served && served.revision >= loaded.revision) return;
          this.#served.set(key, {
            revision: loaded.revision,
            snapshot: buildNamespaceSnapshot(loaded.state),
          });
          if (!this.#order.includes(key)) this.#order.push(key);
        }
        this.#publish();
      } catch (error) {
        // The write is committed; the next poll will load it.
        this.#logger.warn({ err: error, namespace: key }, 'reloading a namespace after a write failed');
      }
    });
  }

  #publish(): void {
    const namespaces = this.#order.map((key) => this.#served.get(key)!.snapshot);
    // Flipt always has a default namespace, even if someone force-deleted it.
    if (!this.#served.has('default')) namespaces.unshift(buildNamespaceSnapshot(emptyDefaultNamespace()));
    this.#holder.publish(snapshotOf(namespaces));
  }
}
