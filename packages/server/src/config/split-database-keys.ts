import { join } from 'node:path';
import { ConfigError } from './config-error.ts';
import type { DatabaseConfig } from './types.ts';

/** Flipt's split connection keys, in the order its docs list them. */
export const SPLIT_DATABASE_KEYS = ['protocol', 'host', 'port', 'name', 'user', 'password'] as const;

const SCHEME: Readonly<Record<string, string>> = {
  postgres: 'postgres',
  mysql: 'mysql',
  cockroach: 'cockroach',
  cockroachdb: 'cockroach',
  libsql: 'libsql',
};

/**
 * Flipt's precedence: a `db.url` the operator set wins; otherwise, when any split key is set,
 * the URL is built from them and `db.protocol`, `db.host` and `db.name` are required; otherwise
 * the default URL stays. Returns the keys that were given but are ignored because of `db.url`.
 */
export function applySplitDatabaseKeys(db: DatabaseConfig, urlExplicit: boolean): string[] {
  const given = SPLIT_DATABASE_KEYS.filter((key) => db[key] !== undefined && db[key] !== '' && db[key] !== 0);
  if (given.length === 0) return [];
  if (urlExplicit) return given.map((key) => `db.${key}`);
  for (const key of ['protocol', 'host', 'name'] as const) {
    if (!db[key])
      throw new ConfigError(
        `db.${key} is required when db.url is not set (${given.map((k) => `db.${k}`).join(', ')} given)`,
        `db.${key}`,
      );
  }
  db.url = buildUrl(db);
  return [];
}

function buildUrl(db: DatabaseConfig): string {
  const protocol = db.protocol!;
  // SQLite has no server: the host is the directory and the name the file, as one path.
  if (protocol === 'sqlite' || protocol === 'file') return `file:${join(db.host!, db.name!)}`;
  const user = db.user ? encodeURIComponent(db.user) : '';
  const password = db.password ? `:${encodeURIComponent(db.password)}` : '';
  const userinfo = user || password ? `${user}${password}@` : '';
  const port = db.port ? `:${db.port}` : '';
  return `${SCHEME[protocol]}://${userinfo}${db.host}${port}/${encodeURIComponent(db.name!)}`;
}
