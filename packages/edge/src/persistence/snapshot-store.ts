// Where the last good snapshot of each namespace is kept between isolates, so a cold start
// answers without reaching the origin. Failures here never fail a request: the store is a cache.

/** One namespace's snapshot as the origin sent it. */
export interface StoredSnapshot {
  etag: string;
  /** The client document exactly as served by the origin. */
  text: string;
  /** When it was last confirmed by the origin (ms since the epoch). */
  fetchedAt: number;
}

export interface SnapshotStore {
  load(namespace: string): Promise<StoredSnapshot | undefined>;
  save(namespace: string, snapshot: StoredSnapshot): Promise<void>;
}

export function encodeStored(snapshot: StoredSnapshot): string {
  return JSON.stringify(snapshot);
}

export function decodeStored(text: string | null | undefined): StoredSnapshot | undefined {
  if (!text) return undefined;
  try {
    const value = JSON.parse(text) as Partial<StoredSnapshot>;
    if (
      typeof value.etag === 'string' &&
      typeof value.text === 'string' &&
      typeof value.fetchedAt === 'number'
    ) {
      return { etag: value.etag, text: value.text, fetchedAt: value.fetchedAt };
    }
  } catch {
    // A damaged entry is a miss.
  }
  return undefined;
}
