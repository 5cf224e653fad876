// A fast, non-cryptographic 128-bit string hash. Ids and content versions only need to be
// stable and collision-free in practice, and SHA-1 in plain TypeScript is ~10x slower: a
// 10,000-flag namespace needs 170k ids per build.

import { putHex, textOf } from './hex.ts';
import { finish, mix, newState } from './running-hash.ts';

const digesting = newState();
const hexCodes: number[] = new Array(32).fill(0);

/** Incremental form, so large content can be hashed field by field without building a string. */
export class Hash128 {
  readonly #state = newState();

  add(text: string): this {
    mix(this.#state, text);
    return this;
  }

  /** Adds a value followed by a separator no key or text contains, so fields cannot run together. */
  field(value: string | number | boolean): this {
    return this.add(String(value)).add('\u0000');
  }

  digest(): [number, number, number, number] {
    // Finished on a copy, so more can still be added after a digest.
    digesting.set(this.#state);
    finish(digesting);
    return [digesting[0]! >>> 0, digesting[1]! >>> 0, digesting[2]! >>> 0, digesting[3]! >>> 0];
  }

  /** 32 lowercase hex characters. */
  hex(): string {
    digesting.set(this.#state);
    finish(digesting);
    for (let i = 0; i < 4; i++) putHex(hexCodes, i * 8, digesting[i]!, 8);
    return textOf(hexCodes);
  }
}

export function hash128(text: string): [number, number, number, number] {
  return new Hash128().add(text).digest();
}

/** 32 lowercase hex characters. */
export function hash128Hex(text: string): string {
  return new Hash128().add(text).hex();
}
