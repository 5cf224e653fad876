import type { Client, InValue, Transaction } from '@libsql/client';
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from 'kysely';
import { Mutex } from './mutex.ts';
import { TransactionalSqliteAdapter } from './sqlite-adapter.ts';

/**
 * A Kysely dialect over `@libsql/client` (libSQL files, sqld and Turso). Remote servers are
 * stateless per request, so a transaction cannot be a `BEGIN` statement: it goes through the
 * client's interactive transaction, and every query inside it is sent on that transaction.
 */
export function libsqlDialect(client: Client): Dialect {
  return {
    createAdapter: () => new TransactionalSqliteAdapter(),
    createDriver: () => new LibsqlDriver(client),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

class LibsqlDriver implements Driver {
  readonly #client: Client;
  readonly #mutex = new Mutex();
  readonly #connection: LibsqlConnection;

  constructor(client: Client) {
    this.#client = client;
    this.#connection = new LibsqlConnection(client);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    await this.#mutex.lock();
    return this.#connection;
  }

  async releaseConnection(): Promise<void> {
    this.#mutex.unlock();
  }

  async beginTransaction(): Promise<void> {
    this.#connection.transaction = await this.#client.transaction('write');
  }

  async commitTransaction(): Promise<void> {
    const transaction = this.#connection.transaction;
    this.#connection.transaction = undefined;
    await transaction?.commit();
  }

  async rollbackTransaction(): Promise<void> {
    const transaction = this.#connection.transaction;
    this.#connection.transaction = undefined;
    try {
      await transaction?.rollback();
    } finally {
      transaction?.close();
    }
  }

  async destroy(): Promise<void> {
    this.#client.close();
  }
}

class LibsqlConnection implements DatabaseConnection {
  readonly #client: Client;
  transaction: Transaction | undefined;

  constructor(client: Client) {
    this.#client = client;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const statement = { sql: compiledQuery.sql, args: compiledQuery.parameters.map(toLibsql) };
    const result = await (this.transaction ?? this.#client).execute(statement);
    const rows = result.rows.map((row) => Object.fromEntries(result.columns.map((c, i) => [c, row[i]])));
    return {
      rows: rows as R[],
      numAffectedRows: BigInt(result.rowsAffected),
      ...(result.lastInsertRowid !== undefined ? { insertId: result.lastInsertRowid } : {}),
    };
  }

  // biome-ignore lint/correctness/useYield: streaming is never used; Kysely requires the method.
  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('libSQL driver does not stream');
  }
}

function toLibsql(value: unknown): InValue {
  if (value === undefined) return null;
  return value as InValue;
}
