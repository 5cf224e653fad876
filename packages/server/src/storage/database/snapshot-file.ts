import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { readFile, rename, rm, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildNamespaceSnapshot, type NamespaceState, type Snapshot, snapshotOf } from '@ensign/core';
import { parseDatabaseUrl, redact } from '../../config/database-url.ts';
import type { Logger } from '../../observability/logger.ts';

// The flags a replica last loaded, kept on local disk so that a replica starting while its
// database is unreachable can serve them (degraded) instead of nothing. Written after each
// successful load to a temporary file and renamed over the old one: a reader, or a crash
// mid-write, sees the previous file or the new one, never half of one.

interface SavedSnapshot {
  format: 1;
  /** The database the flags came from (password masked): a file for another database is ignored. */
  database: string;
  savedAt: string;
  namespaces: NamespaceState[];
}

/**
 * Beside a SQLite file (`flags.db` → `flags.db.snapshot.json`); otherwise in the user's cache
 * directory, one file per database URL. None for in-memory databases.
 */
export function defaultSnapshotPath(
  url: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): string | undefined {
  const target = parseDatabaseUrl(url);
  if (target.kind === 'sqlite')
    return target.path === ':memory:' ? undefined : `${target.path}.snapshot.json`;
  if (target.kind === 'libsql' && target.local) return `${target.url.slice('file:'.length)}.snapshot.json`;
  const cacheHome = env['XDG_CACHE_HOME'] || join(homedir(), '.cache');
  const id = createHash('sha256').update(redact(url)).digest('hex').slice(0, 16);
  return join(cacheHome, 'ensign', `snapshot-${id}.json`);
}

export class SnapshotFile {
  readonly path: string;
  readonly #database: string;
  readonly #logger: Logger;
  #writing: Promise<void> | undefined;
  #pending: Snapshot | undefined;

  constructor(path: string, database: string, logger: Logger) {
    this.path = path;
    this.#database = database;
    this.#logger = logger;
  }

  /** The saved flags, or undefined when there is no usable file (the reason is logged). */
  async load(): Promise<{ snapshot: Snapshot; savedAt: string } | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
        this.#logger.warn({ err: error, path: this.path }, 'cannot read the saved snapshot');
      }
      return undefined;
    }
    try {
      const saved = JSON.parse(text) as SavedSnapshot;
      if (saved.format !== 1 || !Array.isArray(saved.namespaces)) throw new Error('unknown format');
      if (saved.database !== this.#database) {
        this.#logger.warn(
          { path: this.path, savedFrom: saved.database },
          'the saved snapshot belongs to another database; not serving it',
        );
        return undefined;
      }
      return { snapshot: snapshotOf(saved.namespaces.map(buildNamespaceSnapshot)), savedAt: saved.savedAt };
    } catch (error) {
      this.#logger.warn({ err: error, path: this.path }, 'the saved snapshot is unusable; ignoring it');
      return undefined;
    }
  }

  /** Saves in the background; while a save runs, only the newest snapshot waits for the next one. */
  save(snapshot: Snapshot): void {
    this.#pending = snapshot;
    this.#writing ??= this.#drain().finally(() => {
      this.#writing = undefined;
    });
  }

  /** Resolves once every requested save has been written (or has failed and been logged). */
  async flushed(): Promise<void> {
    while (this.#writing) await this.#writing;
  }

  async #drain(): Promise<void> {
    while (this.#pending) {
      const snapshot = this.#pending;
      this.#pending = undefined;
      const saved: SavedSnapshot = {
        format: 1,
        database: this.#database,
        savedAt: new Date().toISOString(),
        namespaces: snapshot.namespaces.map((namespace) => namespace.state),
      };
      const temporary = `${this.path}.${process.pid}.tmp`;
      try {
        mkdirSync(dirname(this.path), { recursive: true });
        await writeFile(temporary, JSON.stringify(saved), { flush: true });
        await rename(temporary, this.path);
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => {});
        this.#logger.warn({ err: error, path: this.path }, 'cannot save the snapshot to disk');
      }
    }
  }
}
