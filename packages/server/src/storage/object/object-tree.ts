import { createHash } from 'node:crypto';
import type { FeatureTree } from '../declarative/feature-tree.ts';
import type { ObjectStore } from './object-store.ts';

/**
 * A bucket as a feature tree. The revision is a hash of the listing's keys and ETags, so a poll
 * is one listing and objects are downloaded only when the listing changed.
 */
export class ObjectTree implements FeatureTree {
  readonly location: string;
  readonly #store: ObjectStore;
  #listing: { revision: string; keys: string[] } | undefined;

  constructor(store: ObjectStore) {
    this.#store = store;
    this.location = store.location;
  }

  async revision(): Promise<string> {
    const objects = (await this.#store.list()).sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const hash = createHash('sha256');
    for (const { key, etag } of objects) hash.update(`${key}\u0000${etag}\u0000`);
    const revision = hash.digest('hex').slice(0, 32);
    this.#listing = { revision, keys: objects.map((object) => object.key) };
    return revision;
  }

  async list(revision: string): Promise<readonly string[]> {
    if (this.#listing?.revision !== revision)
      throw new Error(`${this.location} changed while it was being read`);
    return this.#listing.keys;
  }

  read(_revision: string, path: string): Promise<string | undefined> {
    return this.#store.read(path);
  }
}
