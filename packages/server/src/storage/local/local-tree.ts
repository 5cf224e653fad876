import { INDEX_FILE } from '@ensign/core';
import type { Logger } from '../../observability/logger.ts';
import type { FeatureTree } from '../declarative/feature-tree.ts';
import { fingerprintOf } from './fingerprint.ts';
import { type FeatureDirectory, readFeatureDirectory } from './read-directory.ts';
import { watchDirectory } from './watch-directory.ts';

/**
 * A directory as a feature tree. Its revision is a hash of what the index selects, so a poll
 * reads the selected files (never the rest of the directory) and an unchanged directory costs
 * no rebuild. The files read for a revision are kept until the next look.
 */
export class LocalTree implements FeatureTree {
  readonly location: string;
  readonly #debounceMs: number;
  readonly #fileEvents: boolean;
  readonly #logger: Logger;
  #read: { revision: string; directory: FeatureDirectory } | undefined;

  constructor(root: string, options: { debounceMs: number; fileEvents: boolean }, logger: Logger) {
    this.location = root;
    this.#debounceMs = options.debounceMs;
    this.#fileEvents = options.fileEvents;
    this.#logger = logger;
  }

  async revision(): Promise<string> {
    const directory = await readFeatureDirectory(this.location);
    const revision = fingerprintOf(directory).slice(0, 16);
    // A poll of an unchanged directory keeps the copy already held: the one just read (the
    // whole dataset as strings) then dies young, instead of surviving a scavenge under load
    // and being promoted, which brings on full mark-sweeps (bench/allocation.ts, idle figures).
    if (this.#read?.revision !== revision) this.#read = { revision, directory };
    return revision;
  }

  async list(revision: string): Promise<readonly string[]> {
    const { files, indexContent } = this.#at(revision);
    const paths = files.map((file) => file.path);
    return indexContent === undefined ? paths : [INDEX_FILE, ...paths];
  }

  async read(revision: string, path: string): Promise<string | undefined> {
    const directory = this.#at(revision);
    if (path === INDEX_FILE) return directory.indexContent;
    return directory.files.find((file) => file.path === path)?.content;
  }

  watch(onChange: () => void): { close(): void } {
    if (!this.#fileEvents) return { close() {} };
    return watchDirectory(this.location, onChange, { debounceMs: this.#debounceMs, logger: this.#logger });
  }

  #at(revision: string): FeatureDirectory {
    if (this.#read?.revision !== revision) {
      throw new Error(`${this.location} changed while it was being read; reading it again`);
    }
    return this.#read.directory;
  }
}
