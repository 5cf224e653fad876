import { createHash } from 'node:crypto';

/**
 * Where bundles live: a remote registry or the local bundle directory. Both speak content
 * addresses, so copying a bundle (push, pull) is the same loop over either.
 */
export interface BlobStore {
  /** A tag's manifest digest, without downloading the manifest when the store can avoid it. */
  digestOf(tag: string): Promise<string>;
  /** A manifest's bytes by tag or digest. */
  manifest(reference: string): Promise<{ digest: string; bytes: Uint8Array; mediaType: string }>;
  blob(digest: string): Promise<Uint8Array>;
  hasBlob(digest: string): Promise<boolean>;
  putBlob(digest: string, bytes: Uint8Array): Promise<void>;
  /** Stores a manifest and points `tag` at it. */
  putManifest(tag: string, bytes: Uint8Array, mediaType: string): Promise<string>;
}

export function digestOf(bytes: Uint8Array): string {
  return `sha256:${createHash('sha256').update(bytes).digest('hex')}`;
}

/** Refuses content that does not match the digest it was asked for. */
export function verified(expected: string, bytes: Uint8Array): Uint8Array {
  const actual = digestOf(bytes);
  if (actual !== expected)
    throw new Error(`content of ${expected} does not match its digest (got ${actual})`);
  return bytes;
}
