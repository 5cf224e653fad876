import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readFile, rename, rm } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { buildNamespaceSnapshot, type NamespaceState, type Snapshot, snapshotOf } from '@ensign/core';
import { parseDatabaseUrl, redact } from '../../config/database-url.ts';
import type { Logger } from '../../observability/logger.ts';

// The flags a replica last loaded, kept on local disk so that a replica starting while its
// database is unreachable can serve them (degraded) instead of nothing. Written after a
// successful load to a temporary file and renamed over the old one: a reader, or a crash
// mid-write, sees the previous file or the new one, never half of one. Under a stream of writes
// it is saved at most once per SAVE_INTERVAL_MS (the newest snapshot wins), and only the
// namespaces that changed are serialised again: serialising runs on the event loop.

const SAVE_INTERVAL_MS = 1000;
/** Each namespace's JSON as UTF-8, kept as long as its (immutable) state is. */
const serialised = new WeakMap<NamespaceState, Uint8Array>();
/** Serialising yields the event loop a turn after this much work, so requests keep flowing. */
const SLICE_MS = 2;

async function namespaceBytes(state: NamespaceState): Promise<Uint8Array> {
  const cached = serialised.get(state);
  if (cached) return cached;
  let sliceStart = performance.now();
  const parts: string[] = [];
  const add = async (text: string): Promise<void> => {
    parts.push(text);
    if (performance.now() - sliceStart < SLICE_MS) return;
    await new Promise((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  };
  const list = async <T>(items: readonly T[], text: (item: T) => string): Promise<void> => {
    for (let i = 0; i < items.length; i++) await add((i > 0 ? ',' : '') + text(items[i]!));
  };
  await add(`{"namespace":${JSON.stringify(state.namespace)},"flags":[`);
  await list(state.flags, (flag) => JSON.stringify(flag));
  await add('],"segments":[');
  await list(state.segments, (segment) => JSON.stringify(segment));
  const entry = ([key, value]: [string, unknown]) => `${JSON.stringify(key)}:${JSON.stringify(value)}`;
  await add('],"rules":{');
  await list(Object.entries(state.rules), entry);
  await add('},"rollouts":{');
  await list(Object.entries(state.rollouts), entry);
  const bytes = Buffer.from(`${parts.join('')}}}`);
  serialised.set(state, bytes);
  return bytes;
}

const COMMA: Uint8Array = Buffer.from(',');

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
  #lastSave = Number.NEGATIVE_INFINITY;
  #flushing = false;
  #wake: (() => void) | undefined;

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
      return {
        snapshot: snapshotOf(saved.namespaces.map((state) => buildNamespaceSnapshot(state))),
        savedAt: saved.savedAt,
      };
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
    this.#flushing = true;
    this.#wake?.();
    try {
      while (this.#writing) await this.#writing;
    } finally {
      this.#flushing = false;
    }
  }

  /** Until SAVE_INTERVAL_MS after the last save, unless someone waits for the flush. */
  async #spaced(): Promise<void> {
    const wait = this.#lastSave + SAVE_INTERVAL_MS - performance.now();
    if (wait <= 0 || this.#flushing) return;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, wait);
      timer.unref();
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.#wake = undefined;
  }

  async #drain(): Promise<void> {
    while (this.#pending) {
      await this.#spaced();
      const snapshot = this.#pending;
      this.#pending = undefined;
      this.#lastSave = performance.now();
      const header: Omit<SavedSnapshot, 'namespaces'> = {
        format: 1,
        database: this.#database,
        savedAt: new Date().toISOString(),
      };
      // A SavedSnapshot as JSON, each namespace's bytes from the cache.
      const parts: Uint8Array[] = [Buffer.from(`${JSON.stringify(header).slice(0, -1)},"namespaces":[`)];
      for (const [i, namespace] of snapshot.namespaces.entries()) {
        if (i > 0) parts.push(COMMA);
        parts.push(await namespaceBytes(namespace.state));
      }
      parts.push(Buffer.from(']}'));
      const temporary = `${this.path}.${process.pid}.tmp`;
      try {
        mkdirSync(dirname(this.path), { recursive: true });
        const file = await open(temporary, 'w');
        try {
          await file.writev(parts);
          await file.sync();
        } finally {
          await file.close();
        }
        await rename(temporary, this.path);
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => {});
        this.#logger.warn({ err: error, path: this.path }, 'cannot save the snapshot to disk');
      }
    }
  }
}
