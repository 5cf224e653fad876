import { decodeStored, encodeStored, type SnapshotStore } from './snapshot-store.ts';

/** The slice of `Deno.Kv` used here. */
export interface DenoKvLike {
  get(key: readonly unknown[]): Promise<{ value: unknown }>;
  set(key: readonly unknown[], value: unknown): Promise<unknown>;
}

/** Deno KV caps a value at 64 KiB, so a snapshot is stored as a count and numbered chunks. */
const CHUNK_CHARS = 16 * 1024;

export function denoKvStore(kv: DenoKvLike, prefix = 'ensign-snapshot'): SnapshotStore {
  return {
    async load(namespace) {
      const head = await kv.get([prefix, namespace]);
      const count = head.value;
      if (typeof count !== 'number') return undefined;
      const parts: string[] = [];
      for (let i = 0; i < count; i++) {
        const part = (await kv.get([prefix, namespace, i])).value;
        if (typeof part !== 'string') return undefined;
        parts.push(part);
      }
      return decodeStored(parts.join(''));
    },
    async save(namespace, snapshot) {
      const text = encodeStored(snapshot);
      const count = Math.max(1, Math.ceil(text.length / CHUNK_CHARS));
      for (let i = 0; i < count; i++) {
        await kv.set([prefix, namespace, i], text.slice(i * CHUNK_CHARS, (i + 1) * CHUNK_CHARS));
      }
      // The count last: a reader never sees a count whose chunks are not all written.
      await kv.set([prefix, namespace], count);
    },
  };
}
