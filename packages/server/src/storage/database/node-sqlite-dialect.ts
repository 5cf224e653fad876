import type { DatabaseSync, SQLInputValue } from 'node:sqlite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { Mutex } from './mutex.ts';
import { TransactionalSqliteAdapter } from './sqlite-adapter.ts';
import { StatementCache } from './statement-cache.ts';

/**
 * A Kysely dialect over Node's built-in `node:sqlite` (`DatabaseSync`). Kysely's own SQLite
 * dialect expects better-sqlite3, whose statements take parameters as an array and expose a
 * `reader` flag; node:sqlite takes them spread and tells readers by their result columns.
 */
export function nodeSqliteDialect(open: () => DatabaseSync): Dialect {
  return {
    createAdapter: () => new TransactionalSqliteAdapter(),
    createDriver: () => new NodeSqliteDriver(open),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

// node:sqlite runs each statement on the event loop, and a statement whose promise is already
// settled continues its caller in the same turn: a write's statements, and its reload's, would
// run as one block while evaluations wait. So statements run on credit, and when it is spent the
// event loop gets a turn in which every request already waiting goes first. Each turn earns
// credit in proportion to how long the waiting requests took, so they keep 1 - SHARE of the
// loop whatever rate writers send at; what a slice overran (the last statement, the code
// between statements) is paid back from the next. A turn always earns about one statement's
// worth: idle, a turn costs microseconds, so a lone write barely waits.
// (A fixed 1 ms slice gave writes half the loop under full evaluation load. Chosen over a
// worker thread by measurement: bench/README.md, "Writes and evaluation".)
const SHARE = 0.1;
const MIN_CREDIT_MS = 0.02;
const MAX_CREDIT_MS = 1;
let resumed = 0;
let credit = 0;

async function takeTurn(): Promise<void> {
  let now = performance.now();
  if (now - resumed < credit) return;
  do {
    credit = Math.max(-MAX_CREDIT_MS, credit - (now - resumed));
    await new Promise((resolve) => setImmediate(resolve));
    resumed = performance.now();
    const earned = Math.max(MIN_CREDIT_MS, ((resumed - now) * SHARE) / (1 - SHARE));
    credit = Math.min(MAX_CREDIT_MS, credit + earned);
    now = resumed;
  } while (credit <= 0);
}

// Well above the few dozen distinct statements the store and the loader make.
const CACHED_STATEMENTS = 256;

const SQLITE_BUSY = 5;
const BUSY_WAIT_MS = 10_000;

class NodeSqliteDriver implements Driver {
  readonly #open: () => DatabaseSync;
  readonly #mutex = new Mutex();
  #db: DatabaseSync | undefined;
  #connection: NodeSqliteConnection | undefined;

  constructor(open: () => DatabaseSync) {
    this.#open = open;
  }

  async init(): Promise<void> {
    this.#db = this.#open();
    this.#connection = new NodeSqliteConnection(this.#db);
  }

  /** One connection: SQLite allows one writer anyway, and a transaction must own it. */
  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection!;
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  /**
   * IMMEDIATE takes the write lock up front, so two writers never both read then both write.
   * While another connection holds it, wait here asynchronously: SQLite's own busy timeout
   * would block the event loop, and with it a holder living in this same process.
   */
  async beginTransaction(connection: DatabaseConnection): Promise<void> {
    const deadline = Date.now() + BUSY_WAIT_MS;
    for (let delay = 2; ; delay = Math.min(delay * 2, 50)) {
      try {
        await connection.executeQuery(CompiledQuery.raw('begin immediate'));
        return;
      } catch (error) {
        const busy = ((error as { errcode?: number }).errcode ?? 0) & 0xff;
        if (busy !== SQLITE_BUSY || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {
    if (this.#db?.isOpen) this.#db.close();
  }
}

class NodeSqliteConnection implements DatabaseConnection {
  readonly #db: DatabaseSync;
  readonly #statements: StatementCache;

  constructor(db: DatabaseSync) {
    this.#db = db;
    this.#statements = new StatementCache(db, CACHED_STATEMENTS);
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    // A transaction holds the database's write lock: it runs to its end without giving the turn
    // away, so another connection (another replica, the audit sink's) waits for it the least.
    // What it took is paid back from the credit at the next statement outside it.
    if (!this.#db.isTransaction) await takeTurn();
    const { statement, reader } = this.#statements.get(compiledQuery.sql);
    const parameters = compiledQuery.parameters.map(toSqlite);
    if (reader) {
      return { rows: statement.all(...parameters) as R[] };
    }
    const { changes, lastInsertRowid } = statement.run(...parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  // biome-ignore lint/correctness/useYield: streaming is never used; Kysely requires the method.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('node:sqlite driver does not stream');
  }
}

/** node:sqlite binds only null, numbers, bigints, strings and bytes. */
export function toSqlite(value: unknown): SQLInputValue {
  if (value === undefined || value === null) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.toISOString();
  return value as SQLInputValue;
}
