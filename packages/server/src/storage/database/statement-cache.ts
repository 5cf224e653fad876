import type { DatabaseSync, StatementSync } from 'node:sqlite';

export interface Prepared {
  statement: StatementSync;
  /** Returns rows (has result columns): run with `all`, else with `run`. */
  reader: boolean;
}

/**
 * Prepared statements of one connection by SQL text, least recently used dropped first.
 * Preparing costs about as much as running the small statements a write and its reload make
 * (bench/README.md, "Writes and evaluation"), and the store issues a few dozen distinct texts,
 * so nearly every statement after the first few writes is a hit. SQLite re-prepares a cached
 * statement by itself when the schema changes under it.
 */
export class StatementCache {
  readonly #db: DatabaseSync;
  readonly #limit: number;
  // A Map iterates in insertion order: re-inserting on use keeps the oldest first.
  readonly #entries = new Map<string, Prepared>();

  constructor(db: DatabaseSync, limit: number) {
    this.#db = db;
    this.#limit = limit;
  }

  get(sql: string): Prepared {
    const cached = this.#entries.get(sql);
    if (cached) {
      this.#entries.delete(sql);
      this.#entries.set(sql, cached);
      return cached;
    }
    const statement = this.#db.prepare(sql);
    const prepared = { statement, reader: statement.columns().length > 0 };
    if (this.#entries.size >= this.#limit) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    this.#entries.set(sql, prepared);
    return prepared;
  }
}
