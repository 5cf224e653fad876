import { decodeStored, encodeStored, type SnapshotStore } from './snapshot-store.ts';

/** The slice of the Cache API (`caches.default` on Workers, `await caches.open(name)` elsewhere). */
export interface CacheLike {
  match(request: Request): Promise<Response | undefined>;
  put(request: Request, response: Response): Promise<void>;
}

/**
 * The Cache API: local to one location and evictable, but needs no binding. Entries are keyed
 * by a URL that never leaves the cache.
 */
export function cacheApiStore(
  cache: CacheLike,
  base = 'https://ensign-edge.invalid/snapshot/',
): SnapshotStore {
  const keyOf = (namespace: string) => new Request(base + encodeURIComponent(namespace));
  return {
    async load(namespace) {
      const hit = await cache.match(keyOf(namespace));
      return hit ? decodeStored(await hit.text()) : undefined;
    },
    save: (namespace, snapshot) =>
      cache.put(
        keyOf(namespace),
        new Response(encodeStored(snapshot), {
          headers: { 'content-type': 'application/json', 'cache-control': 'max-age=31536000' },
        }),
      ),
  };
}
