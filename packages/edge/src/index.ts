export { isRequestScopedRuntime } from '@ensign/core/runtime';
export {
  createEdgeHandler,
  type EdgeHandler,
  STALE_HEADER,
  type WaitUntilContext,
} from './create-edge-handler.ts';
export type { EdgeOptions, EdgeOptionsInput } from './options.ts';
export { type CacheLike, cacheApiStore } from './persistence/cache-api.ts';
export { type DenoKvLike, denoKvStore } from './persistence/deno-kv.ts';
export type { SnapshotStore, StoredSnapshot } from './persistence/snapshot-store.ts';
export { type KvNamespaceLike, workersKvStore } from './persistence/workers-kv.ts';
