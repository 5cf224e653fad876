import { decodeStored, encodeStored, type SnapshotStore } from './snapshot-store.ts';

/** The slice of a Workers KV namespace binding used here. */
export interface KvNamespaceLike {
  get(key: string): Promise<string | null>;
  put(key: string, value: string): Promise<void>;
}

/** Workers KV: eventually consistent across locations, which suits a last-known-good copy. */
export function workersKvStore(kv: KvNamespaceLike, prefix = 'ensign-snapshot:'): SnapshotStore {
  return {
    load: async (namespace) => decodeStored(await kv.get(prefix + namespace)),
    save: (namespace, snapshot) => kv.put(prefix + namespace, encodeStored(snapshot)),
  };
}
