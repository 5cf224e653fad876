import type { DatabaseSync, StatementSync } from 'node:sqlite';

export interface Prepared {
  statement: StatementSync;
  /** Returns rows (has result columns): run with `all`, else with `run`. */
  reader: boolean;
}

/**
 * Prepared statements of one connection by SQL text. Preparing costs about as much as running
 * the small statements a write and its reload make (bench/README.md, "Writes and evaluation"),
 * and the store issues a few dozen distinct texts, so after the first writes nearly every
 * statement is a hit. Past the limit (texts that vary, such as `in (?, ?, …)` lists) the cache
 * starts over: cheaper on every hit than keeping a least-recently-used order. SQLite
 * re-prepares a cached statement by itself when the schema changes under it.
 */
export class StatementCache {
  readonly #db: DatabaseSync;
  readonly #limit: number;
  readonly #entries = new Map<string, Prepared>();

  constructor(db: DatabaseSync, limit: number) {
    this.#db = db;
    this.#limit = limit;
  }

  get(sql: string): Prepared {
    const cached = this.#entries.get(sql);
    if (cached) return cached;
    const statement = this.#db.prepare(sql);
    const prepared = { statement, reader: statement.columns().length > 0 };
    if (this.#entries.size >= this.#limit) this.#entries.clear();
    this.#entries.set(sql, prepared);
    return prepared;
  }
}
