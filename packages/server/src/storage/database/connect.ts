import { mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { Kysely, MysqlDialect, PostgresDialect } from 'kysely';
import {
  type DatabaseTarget,
  type Engine,
  engineOf,
  parseDatabaseUrl,
  redact,
} from '../../config/database-url.ts';
import type { Logger } from '../../observability/logger.ts';
import { libsqlDialect } from './libsql-dialect.ts';
import { nodeSqliteDialect } from './node-sqlite-dialect.ts';
import type { Tables } from './tables.ts';

export interface DatabaseOptions {
  /** `db.url` (docs/storage.md). */
  url: string;
  /** libSQL/Turso auth token for `libsql://` and `http(s)://` servers. */
  authToken?: string;
  /** Upper bound on pooled connections for PostgreSQL and MySQL (default 10). */
  maxOpenConnections?: number;
  /** How long to wait for a new connection before calling the database unavailable (default 2 s). */
  connectTimeoutMs?: number;
}

export interface Connection {
  db: Kysely<Tables>;
  engine: Engine;
  target: DatabaseTarget;
  /** The URL without its password. */
  label: string;
}

// libSQL's client has a native part, so it stays outside every bundle and is loaded from
// node_modules, for the libSQL URLs that need it only.
const require = createRequire(import.meta.url);

/** Opens a connection pool for `options.url`; nothing is sent until the first query. */
export function connect(options: DatabaseOptions, logger: Logger): Connection {
  const target = parseDatabaseUrl(options.url);
  const timeout = options.connectTimeoutMs ?? 2000;
  const max = options.maxOpenConnections ?? 10;
  const db = new Kysely<Tables>({ dialect: dialectFor(target, options, timeout, max, logger) });
  return { db, engine: engineOf(target), target, label: redact(options.url) };
}

function dialectFor(
  target: DatabaseTarget,
  options: DatabaseOptions,
  timeout: number,
  max: number,
  logger: Logger,
) {
  switch (target.kind) {
    case 'sqlite':
      return nodeSqliteDialect(() => openSqlite(target.path));
    case 'libsql': {
      if (target.local) mkdirSync(dirname(target.url.slice('file:'.length)), { recursive: true });
      const { createClient } = require('@libsql/client') as typeof import('@libsql/client');
      const client = createClient({
        url: target.url,
        ...(options.authToken ? { authToken: options.authToken } : {}),
      });
      return libsqlDialect(client);
    }
    case 'postgres':
      // The driver is imported on first use (a bundler still sees it, so the single executable
      // carries it): loading it costs start-up time that SQLite users should not pay.
      return new PostgresDialect({
        pool: async () => {
          const { default: pg } = await import('pg');
          const pool = new pg.Pool({ connectionString: target.url, max, connectionTimeoutMillis: timeout });
          // An idle client whose server went away emits 'error'; unhandled, it would end the process.
          pool.on('error', (error) => logger.warn({ err: error }, 'idle database connection failed'));
          return pool;
        },
      });
    case 'mysql':
      return new MysqlDialect({
        pool: async () => {
          const { createPool } = await import('mysql2');
          const pool = createPool({ uri: target.url, connectionLimit: max, connectTimeout: timeout });
          pool.on('connection', (connection) => {
            connection.on('error', (error) => logger.warn({ err: error }, 'database connection failed'));
          });
          return pool;
        },
      });
  }
}

function openSqlite(path: string): DatabaseSync {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  // No blocking busy timeout: the driver waits for the write lock asynchronously.
  const db = new DatabaseSync(path, { timeout: 0 });
  // WAL lets readers (other replicas polling) proceed while one writer commits.
  if (path !== ':memory:') db.exec('PRAGMA journal_mode = WAL');
  // NORMAL is durable across application crashes in WAL mode and avoids an fsync per commit.
  if (path !== ':memory:') db.exec('PRAGMA synchronous = NORMAL');
  db.exec('PRAGMA foreign_keys = ON');
  return db;
}
