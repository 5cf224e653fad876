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
import { guardedMysqlPool } from './mysql-pool.ts';
import { nodeSqliteDialect } from './node-sqlite-dialect.ts';
import { guardPostgresPool } from './postgres-pool.ts';
import type { Tables } from './tables.ts';

export interface DatabaseOptions {
  /** `db.url` (docs/storage.md). */
  url: string;
  /** libSQL/Turso auth token for `libsql://` and `http(s)://` servers. */
  authToken?: string;
  /** Upper bound on pooled connections for PostgreSQL and MySQL (default 10). */
  maxOpenConnections?: number;
  /** How long to wait for a connection (new or pooled) before calling the database unavailable (default 2 s). */
  connectTimeoutMs?: number;
  /** How long one statement may run before its connection is dropped as stuck (default 5 s). */
  queryTimeoutMs?: number;
}

export const DEFAULT_CONNECT_TIMEOUT_MS = 2000;
export const DEFAULT_QUERY_TIMEOUT_MS = 5000;
/** Migrations run DDL and may wait for another replica's migration lock. */
export const MIGRATION_QUERY_TIMEOUT_MS = 60_000;

export interface Connection {
  db: Kysely<Tables>;
  engine: Engine;
  target: DatabaseTarget;
  /** The URL without its password. */
  label: string;
  /** The most connections the pool holds at once. */
  poolSize: number;
}

export interface Limits {
  connectTimeoutMs: number;
  queryTimeoutMs: number;
  max: number;
}

// libSQL's client has a native part, so it stays outside every bundle and is loaded from
// node_modules, for the libSQL URLs that need it only.
const require = createRequire(import.meta.url);

/** Opens a connection pool for `options.url`; nothing is sent until the first query. */
export function connect(options: DatabaseOptions, logger: Logger): Connection {
  const target = parseDatabaseUrl(options.url);
  const limits: Limits = {
    connectTimeoutMs: options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    queryTimeoutMs: options.queryTimeoutMs ?? DEFAULT_QUERY_TIMEOUT_MS,
    max: options.maxOpenConnections ?? 10,
  };
  const db = new Kysely<Tables>({ dialect: dialectFor(target, options, limits, logger) });
  return { db, engine: engineOf(target), target, label: redact(options.url), poolSize: limits.max };
}

function dialectFor(target: DatabaseTarget, options: DatabaseOptions, limits: Limits, logger: Logger) {
  switch (target.kind) {
    case 'sqlite':
      return nodeSqliteDialect(() => openSqlite(target.path));
    case 'libsql': {
      if (target.local) mkdirSync(dirname(target.url.slice('file:'.length)), { recursive: true });
      const { createClient } = require('@libsql/client') as typeof import('@libsql/client');
      const client = createClient({
        url: target.url,
        ...(options.authToken ? { authToken: options.authToken } : {}),
        // A remote server that stops answering must not hold a request forever.
        ...(target.local ? {} : { fetch: timedFetch(limits.connectTimeoutMs + limits.queryTimeoutMs) }),
      });
      return libsqlDialect(client);
    }
    case 'postgres':
      // The driver is imported on first use (a bundler still sees it, so the single executable
      // carries it): loading it costs start-up time that SQLite users should not pay.
      return new PostgresDialect({
        pool: async () => {
          const { default: pg } = await import('pg');
          const pool = new pg.Pool({
            connectionString: target.url,
            max: limits.max,
            connectionTimeoutMillis: limits.connectTimeoutMs,
            query_timeout: limits.queryTimeoutMs,
            keepAlive: true,
          });
          guardPostgresPool(pool, logger);
          return pool;
        },
      });
    case 'mysql':
      return new MysqlDialect({
        pool: async () => {
          const { createPool } = await import('mysql2');
          const pool = createPool({
            uri: target.url,
            connectionLimit: limits.max,
            connectTimeout: limits.connectTimeoutMs,
            enableKeepAlive: true,
          });
          return guardedMysqlPool(pool, limits, logger);
        },
      });
  }
}

function timedFetch(timeoutMs: number) {
  return (request: Request) => fetch(request, { signal: AbortSignal.timeout(timeoutMs) });
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
