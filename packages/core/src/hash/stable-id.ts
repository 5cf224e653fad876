import { finish, mix, newState, reset } from './running-hash.ts';

/** Character codes of a byte's two lowercase hex digits. */
const HIGH = new Uint8Array(256);
const LOW = new Uint8Array(256);
for (let i = 0; i < 256; i++) {
  HIGH[i] = '0123456789abcdef'.charCodeAt(i >> 4);
  LOW[i] = '0123456789abcdef'.charCodeAt(i & 15);
}
const DASH = 45;
/** The hash of the id being made. */
const running = newState();
const FIVE = 53;

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
  const a = running[0]! >>> 0;
  const b = running[1]! >>> 0;
  const c = ((running[2]! & 0x3fffffff) | 0x80000000) >>> 0;
  const d = running[3]! >>> 0;
  return String.fromCharCode(
    HIGH[a >>> 24]!,
    LOW[a >>> 24]!,
    HIGH[(a >>> 16) & 255]!,
    LOW[(a >>> 16) & 255]!,
    HIGH[(a >>> 8) & 255]!,
    LOW[(a >>> 8) & 255]!,
    HIGH[a & 255]!,
    LOW[a & 255]!,
    DASH,
    HIGH[b >>> 24]!,
    LOW[b >>> 24]!,
    HIGH[(b >>> 16) & 255]!,
    LOW[(b >>> 16) & 255]!,
    DASH,
    FIVE,
    LOW[(b >>> 8) & 15]!,
    HIGH[b & 255]!,
    LOW[b & 255]!,
    DASH,
    HIGH[c >>> 24]!,
    LOW[c >>> 24]!,
    HIGH[(c >>> 16) & 255]!,
    LOW[(c >>> 16) & 255]!,
    DASH,
    HIGH[(c >>> 8) & 255]!,
    LOW[(c >>> 8) & 255]!,
    HIGH[c & 255]!,
    LOW[c & 255]!,
    HIGH[d >>> 24]!,
    LOW[d >>> 24]!,
    HIGH[(d >>> 16) & 255]!,
    LOW[(d >>> 16) & 255]!,
    HIGH[(d >>> 8) & 255]!,
    LOW[(d >>> 8) & 255]!,
    HIGH[d & 255]!,
    LOW[d & 255]!,
  );
}
