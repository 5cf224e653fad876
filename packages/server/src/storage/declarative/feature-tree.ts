/**
 * What a declarative backend has to offer: a tree of files at some revision. Everything else
 * (index selection, parsing, validation, change detection, last-good snapshot, backoff, sync
 * state) is the pipeline's job, so a backend is a few small functions over its own protocol.
 */
export interface FeatureTree {
  /** Where the files come from, without credentials: shown in logs, /health and /meta/info. */
  readonly location: string;
  /**
   * Finds the latest revision (fetching when remote): a commit, a manifest digest, a hash of
   * the listing. The same revision must always list and read the same files.
   */
  revision(): Promise<string>;
  /** Every file path at `revision`, '/'-separated and relative to the tree's root. */
  list(revision: string): Promise<readonly string[]>;
  /** A file's text at `revision`; undefined when it vanished since listing. */
  read(revision: string, path: string): Promise<string | undefined>;
  /** Calls `onChange` when a new revision may exist, sooner than the next poll. */
  watch?(onChange: () => void): { close(): void };
  /** Turns a per-request `reference` (branch, tag, commit) into a revision this tree can read. */
  resolve?(reference: string): Promise<string>;
  close?(): Promise<void>;
}

/** How the pipeline follows a tree. */
export interface SyncPolicy {
  /** Time between looks for a new revision. */
  pollIntervalMs: number;
  /**
   * A new revision must stay unchanged this long before it is built: a file caught mid-write
   * shows up as a revision that moves on, and is never served.
   */
  quietMs?: number;
  /**
   * A feature file that vanishes or becomes empty replaces the flags only after staying that
   * way this long: an editor's truncate-then-write never serves "no flags".
   */
  vanishSettleMs?: number;
}
