import { putHex, textOf } from './hex.ts';
import { finish, mix, newState, reset } from './running-hash.ts';

/** The hash of the id being made. */
const running = newState();
/** The id being made, as character codes: the dashes and the version digit never change. */
const id = Array.from('00000000-0000-5000-0000-000000000000', (ch) => ch.charCodeAt(0));

/**
 * A UUID (version 5 layout) derived from its parts, so rebuilding the same content gives the
 * same ids on every build and every replica. Parts are hashed as if joined with a separator
 * keys cannot hold.
 */
export function stableId(...parts: readonly (string | number)[]): string {
  // A snapshot build makes one id per rule and distribution and keeps them all: the parts are
  // hashed one after another (no joined string) and the id is made in one piece. Built from
  // pieces, an id was a tree of concatenations of ~490 bytes instead of one 64-byte string.
  reset(running);
  mixParts(parts, true);
  return finishId();
}

/**
 * Ids that begin with the same parts, e.g. all of a flag's: the common parts are hashed once.
 * `new StableIdPrefix(a, b).id(c)` equals `stableId(a, b, c)`.
 */
export class StableIdPrefix {
  readonly #state = new Int32Array(4);

  constructor(first: string | number, ...parts: readonly (string | number)[]) {
    reset(running);
    mix(running, typeof first === 'string' ? first : String(first));
    mixParts(parts, false);
    this.#state.set(running);
  }

  /** The id of the prefix's parts followed by `rest`. */
  id(...rest: readonly (string | number)[]): string {
    running.set(this.#state);
    mixParts(rest, false);
    return finishId();
  }
}

/** Mixes parts into the running hash, each after a separator unless it opens the hash. */
function mixParts(parts: readonly (string | number)[], first: boolean): void {
  for (let i = 0; i < parts.length; i++) {
    if (i > 0 || !first) mix(running, '\u0000');
    const part = parts[i]!;
    mix(running, typeof part === 'string' ? part : String(part));
  }
}

/** The id of the running hash. */
function finishId(): string {
  finish(running);
  const b = running[1]!;
  const c = (running[2]! & 0x3fffffff) | 0x80000000;
  putHex(id, 0, running[0]!, 8);
  putHex(id, 9, b >>> 16, 4);
  // Digit 14 is the version (5); the variant bits are set in c.
  putHex(id, 15, b & 0xfff, 3);
  putHex(id, 19, c >>> 16, 4);
  putHex(id, 24, c & 0xffff, 4);
  putHex(id, 28, running[3]!, 8);
  return textOf(id);
}
