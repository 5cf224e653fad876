import { isAbsolute, resolve } from 'node:path';
import { EnsignError } from '@ensign/core';
import { redactUrl } from './secrets.ts';

/** Which SQL dialect a URL speaks; libSQL is SQLite on the wire, so it shares the SQLite schema. */
export type Engine = 'sqlite' | 'postgres' | 'mysql';

export type DatabaseTarget =
  | { kind: 'sqlite'; path: string }
  | { kind: 'libsql'; url: string; local: boolean }
  | { kind: 'postgres'; url: string }
  | { kind: 'mysql'; url: string };

export function engineOf(target: DatabaseTarget): Engine {
  return target.kind === 'libsql' ? 'sqlite' : target.kind;
}

/**
 * Reads `db.url` the way Flipt does (docs/storage.md): `file:`/`sqlite:` is embedded SQLite (node:sqlite),
 * `libsql:` a libSQL file or server, `http(s)://` a libSQL server, `postgres(ql)://` and
 * `cockroach(db)://` PostgreSQL wire, `mysql://` MySQL/MariaDB.
 */
export function parseDatabaseUrl(url: string): DatabaseTarget {
  const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(url)?.[1]?.toLowerCase();
  switch (scheme) {
    case 'file':
    case 'sqlite':
    case 'sqlite3':
      return { kind: 'sqlite', path: sqlitePath(url.slice(scheme.length + 1)) };
    case 'libsql':
      // `libsql://host` is a server; `libsql:path` a local file the libSQL client opens itself.
      if (url.startsWith('libsql://')) return { kind: 'libsql', url, local: false };
      return { kind: 'libsql', url: `file:${sqlitePath(url.slice('libsql:'.length))}`, local: true };
    case 'http':
    case 'https':
    case 'ws':
    case 'wss':
      return { kind: 'libsql', url, local: false };
    case 'postgres':
    case 'postgresql':
    case 'pgx':
      return { kind: 'postgres', url: url.replace(/^[a-z]+:/i, 'postgres:') };
    case 'cockroach':
    case 'cockroachdb':
      return { kind: 'postgres', url: url.replace(/^[a-z]+:/i, 'postgres:') };
    case 'mysql':
      return { kind: 'mysql', url };
    default:
      throw new EnsignError(
        'invalid_argument',
        `db.url "${redact(url)}" is not supported: use file:, libsql:, http(s)://, postgres://, cockroach:// or mysql://`,
      );
  }
}

/** `file:///abs`, `file:/abs`, `file:rel` and `file:rel?mode=rwc` all name a path on disk. */
function sqlitePath(rest: string): string {
  let path = rest.replace(/\?.*$/, '');
  if (path.startsWith('//')) path = path.slice(2);
  path = decodeURIComponent(path);
  if (path === '' || path === ':memory:') return ':memory:';
  return isAbsolute(path) ? path : resolve(path);
}

/** The URL without its password or secret query parameters, for messages and logs. */
export function redact(url: string): string {
  return redactUrl(url);
}
