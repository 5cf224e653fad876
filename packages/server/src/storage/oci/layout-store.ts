import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type BlobStore, digestOf, verified } from './blob-store.ts';
import { type Descriptor, OCI_MANIFEST, REF_NAME_ANNOTATION } from './media-types.ts';

interface LayoutIndex {
  schemaVersion: 2;
  manifests: Descriptor[];
}

/**
 * The local bundle store: one OCI image layout per repository under `bundles_directory`
 * (`<dir>/<repository>/{oci-layout,index.json,blobs/sha256/…}`), tags as ref-name annotations.
 */
export class LayoutStore implements BlobStore {
  readonly location: string;
  readonly #root: string;

  constructor(bundlesDirectory: string, repository: string) {
    this.#root = join(bundlesDirectory, repository);
    this.location = `flipt://local/${repository}`;
  }

  async digestOf(tag: string): Promise<string> {
    const found = (await this.#index()).manifests.find((m) => m.annotations?.[REF_NAME_ANNOTATION] === tag);
    if (!found) throw new Error(`${this.location} has no tag "${tag}"`);
    return found.digest;
  }

  async manifest(reference: string): Promise<{ digest: string; bytes: Uint8Array; mediaType: string }> {
    const digest = reference.startsWith('sha256:') ? reference : await this.digestOf(reference);
    const descriptor = (await this.#index()).manifests.find((m) => m.digest === digest);
    return { digest, bytes: await this.blob(digest), mediaType: descriptor?.mediaType ?? OCI_MANIFEST };
  }

  async blob(digest: string): Promise<Uint8Array> {
    return verified(digest, await readFile(this.#blobPath(digest)));
  }

  async hasBlob(digest: string): Promise<boolean> {
    return readFile(this.#blobPath(digest)).then(
      () => true,
      () => false,
    );
  }

  async putBlob(digest: string, bytes: Uint8Array): Promise<void> {
    verified(digest, bytes);
    await mkdir(join(this.#root, 'blobs', 'sha256'), { recursive: true });
    await atomicWrite(this.#blobPath(digest), bytes);
  }

  async putManifest(tag: string, bytes: Uint8Array, mediaType: string): Promise<string> {
    const digest = digestOf(bytes);
    await this.putBlob(digest, bytes);
    const index = await this.#index();
    index.manifests = index.manifests.filter((m) => m.annotations?.[REF_NAME_ANNOTATION] !== tag);
    index.manifests.push({
      mediaType,
      digest,
      size: bytes.length,
      annotations: { [REF_NAME_ANNOTATION]: tag },
    });
    await writeFile(join(this.#root, 'oci-layout'), JSON.stringify({ imageLayoutVersion: '1.0.0' }));
    await atomicWrite(join(this.#root, 'index.json'), Buffer.from(JSON.stringify(index)));
    return digest;
  }

  /** Tags and their manifest digests. */
  async tags(): Promise<{ tag: string; digest: string }[]> {
    return (await this.#index()).manifests.flatMap((m) => {
      const tag = m.annotations?.[REF_NAME_ANNOTATION];
      return tag ? [{ tag, digest: m.digest }] : [];
    });
  }

  async #index(): Promise<LayoutIndex> {
    try {
      return JSON.parse(await readFile(join(this.#root, 'index.json'), 'utf8')) as LayoutIndex;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { schemaVersion: 2, manifests: [] };
      throw error;
    }
  }

  #blobPath(digest: string): string {
    const [algorithm, hex] = digest.split(':');
    if (algorithm !== 'sha256' || !/^[0-9a-f]{64}$/.test(hex ?? ''))
      throw new Error(`unsupported digest ${digest}`);
    return join(this.#root, 'blobs', 'sha256', hex!);
  }
}

/** Repositories in the bundles directory (each a directory holding an index.json), nested names included. */
export async function localRepositories(bundlesDirectory: string, prefix = ''): Promise<string[]> {
  let entries: { name: string; isDirectory(): boolean }[];
  try {
    entries = await readdir(join(bundlesDirectory, prefix), { withFileTypes: true });
  } catch {
    return [];
  }
  const found: string[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory() || entry.name === 'blobs') continue;
    const name = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    const hasIndex = await readFile(join(bundlesDirectory, name, 'index.json')).then(
      () => true,
      () => false,
    );
    if (hasIndex) found.push(name);
    else found.push(...(await localRepositories(bundlesDirectory, name)));
  }
  return found;
}

async function atomicWrite(path: string, bytes: Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.tmp`;
  await writeFile(temporary, bytes);
  await rename(temporary, path);
}
