import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mysql from 'mysql2/promise';
import pg from 'pg';

// Each engine a suite runs on, with its own throwaway database. PostgreSQL and MariaDB come
// from ENSIGN_TEST_POSTGRES_URL / ENSIGN_TEST_MYSQL_URL (a server URL; a database is created on
// it) or the default local servers. Unreachable: CI fails the suite, a laptop skips it loudly.

export interface TestDatabase {
  url: string;
  /** Server-level URL (admin), for tests that need to disconnect clients. */
  adminUrl?: string;
  name: string;
  drop(): Promise<void>;
}

export interface Engine {
  name: 'sqlite' | 'libsql' | 'postgres' | 'mysql';
  /** Why the engine cannot run here (the suite is skipped with this text), or undefined. */
  skip: string | undefined;
  create(): Promise<TestDatabase>;
}

const POSTGRES_URL = process.env['ENSIGN_TEST_POSTGRES_URL'] ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const MYSQL_URL = process.env['ENSIGN_TEST_MYSQL_URL'] ?? 'mysql://root@127.0.0.1:3306/';

const randomName = () => `ensign_test_${randomBytes(6).toString('hex')}`;

function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function reachable(
  check: () => Promise<void>,
  variable: string,
  label: string,
): Promise<string | undefined> {
  try {
    await check();
    return undefined;
  } catch (error) {
    const reason = `${label} not reachable (${(error as Error).message}); set ${variable} to run these tests`;
    if (process.env['CI']) throw new Error(`CI requires ${label}: ${reason}`);
    console.warn(`# SKIP ${reason}`);
    return reason;
  }
}

async function postgres(): Promise<Engine> {
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 10_000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const skip = await reachable(() => admin(async () => {}), 'ENSIGN_TEST_POSTGRES_URL', 'PostgreSQL');
  return {
    name: 'postgres',
    skip,
    async create() {
      const name = randomName();
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      return {
        name,
        url: withDatabase(POSTGRES_URL, name),
        adminUrl: POSTGRES_URL,
        drop: () =>
          admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
      };
    },
  };
}

async function mysqlEngine(): Promise<Engine> {
  const admin = async <T>(work: (c: mysql.Connection) => Promise<T>): Promise<T> => {
    const connection = await mysql.createConnection({ uri: MYSQL_URL, connectTimeout: 10_000 });
    try {
      return await work(connection);
    } finally {
      await connection.end();
    }
  };
  const skip = await reachable(() => admin(async () => {}), 'ENSIGN_TEST_MYSQL_URL', 'MySQL/MariaDB');
  return {
    name: 'mysql',
    skip,
    async create() {
      const name = randomName();
      await admin((c) => c.query(`CREATE DATABASE ${name}`));
      return {
        name,
        url: withDatabase(MYSQL_URL, name),
        adminUrl: MYSQL_URL,
        drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name}`)).then(() => undefined),
      };
    },
  };
}

function fileEngine(name: 'sqlite' | 'libsql', scheme: string): Engine {
  return {
    name,
    skip: undefined,
    async create() {
      const dir = mkdtempSync(join(tmpdir(), 'ensign-db-'));
      return {
        name: dir,
        url: `${scheme}${join(dir, 'flags.db')}`,
        drop: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  };
}

export const sqliteEngine = (): Engine => fileEngine('sqlite', 'file:');
export const libsqlEngine = (): Engine => fileEngine('libsql', 'libsql:');
export const postgresEngine = postgres;
export const mysqlServerEngine = mysqlEngine;

/** SQLite, PostgreSQL and MySQL: the engines every store test runs on. */
export async function allEngines(): Promise<Engine[]> {
  return [sqliteEngine(), await postgres(), await mysqlEngine()];
}
