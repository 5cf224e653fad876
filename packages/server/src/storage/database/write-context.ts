import type { Kysely } from 'kysely';
import type { Tables } from './tables.ts';

/** What every write operation runs with: its transaction, namespace and creation stamp. */
export interface Write {
  trx: Kysely<Tables>;
  namespaceKey: string;
  /** The namespace revision this write produces; stored as `seq` on rows it creates. */
  seq: number;
  /** ISO-8601 with milliseconds, the same for every row this write touches. */
  now: string;
}

/**
 * The part of its namespace a write can change, so the snapshot reloads only that: one flag
 * (with its variants, rules and rollouts), one segment (with its constraints), or the namespace
 * as a whole (its row, its existence).
 */
export type Touched = { flag: string } | { segment: string } | { namespace: true };
