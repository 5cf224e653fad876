import { INDEX_FILE } from '@ensign/core';
import type { FeatureTree } from '../declarative/feature-tree.ts';
import type { BlobStore } from './blob-store.ts';
import { bundleFiles, parseBundleManifest } from './bundle.ts';

const BUNDLE_INDEX = 'version: "1.0"\ninclude:\n  - "*.features.json"\n  - "*.features.yaml"\n';

/**
 * A tag of a bundle repository as a feature tree. The revision is the manifest digest, so a
 * poll is one HEAD request, and layers are fetched only when the digest moves.
 */
export class OciTree implements FeatureTree {
  readonly location: string;
  readonly #store: BlobStore;
  readonly #tag: string;
  #files: { digest: string; byPath: Map<string, string> } | undefined;

  constructor(store: BlobStore, tag: string, location: string) {
    this.#store = store;
    this.#tag = tag;
    this.location = location;
  }

  revision(): Promise<string> {
    return this.#store.digestOf(this.#tag);
  }

  /** A bundle is already a selection: an index that takes every layer stands beside them. */
  async list(revision: string): Promise<readonly string[]> {
    return [INDEX_FILE, ...(await this.#layers(revision)).keys()];
  }

  async read(revision: string, path: string): Promise<string | undefined> {
    if (path === INDEX_FILE) return BUNDLE_INDEX;
    const digest = (await this.#layers(revision)).get(path);
    if (!digest) return undefined;
    return new TextDecoder().decode(await this.#store.blob(digest));
  }

  async #layers(revision: string): Promise<Map<string, string>> {
    if (this.#files?.digest === revision) return this.#files.byPath;
    const { bytes } = await this.#store.manifest(revision);
    const manifest = parseBundleManifest(bytes, `${this.location}@${revision}`);
    const byPath = new Map(bundleFiles(manifest).map((file) => [file.path, file.digest]));
    this.#files = { digest: revision, byPath };
    return byPath;
  }
}
