import type { Snapshot } from '@ensign/core';
import type { FeatureTree } from './feature-tree.ts';
import { type FeatureFiles, readFeatureFiles } from './read-tree.ts';

/** Flipt keeps up to three extra references besides the one it follows. */
const MAX_REFERENCES = 3;

/**
 * Snapshots at per-request references (another branch, a tag, a commit), built on demand and
 * kept for the few most recently used revisions.
 */
export class ReferenceCache {
  readonly #tree: FeatureTree;
  readonly #build: (files: FeatureFiles) => Snapshot;
  readonly #byRevision = new Map<string, Promise<Snapshot>>();

  constructor(tree: FeatureTree, build: (files: FeatureFiles) => Snapshot) {
    this.#tree = tree;
    this.#build = build;
  }

  async snapshotAt(reference: string): Promise<Snapshot> {
    const resolve = this.#tree.resolve;
    if (!resolve) throw new Error('this storage does not support references');
    const revision = await resolve.call(this.#tree, reference);
    let snapshot = this.#byRevision.get(revision);
    if (snapshot) {
      // Most recently used last, so the oldest is evicted first.
      this.#byRevision.delete(revision);
    } else {
      snapshot = readFeatureFiles(this.#tree, revision).then((files) => this.#build(files));
      // A failure is not cached: the next request tries again.
      snapshot.catch(() => this.#byRevision.delete(revision));
    }
    this.#byRevision.set(revision, snapshot);
    while (this.#byRevision.size > MAX_REFERENCES) {
      this.#byRevision.delete(this.#byRevision.keys().next().value!);
    }
    return snapshot;
  }
}
