// The mixing steps of hash128 over a caller's state (four 32-bit words), so that a caller
// hashing many small values (stableId: one per variant, rule and distribution of a snapshot)
// allocates nothing but its result. Internal to the hash module: not exported from its index.

/** A hash in progress: four 32-bit words, kept as signed integers like the mixing arithmetic. */
export type HashState = Int32Array;

/** A new state at the start of a hash. */
export function newState(): HashState {
  const state = new Int32Array(4);
  reset(state);
  return state;
}

/** Resets `state` to the start of a hash. */
export function reset(state: HashState): void {
  state[0] = 0x6a09e667;
  state[1] = 0xbb67ae85;
  state[2] = 0x3c6ef372;
  state[3] = 0xa54ff53a;
}

/** Mixes the characters of `text` into `state`. */
export function mix(state: HashState, text: string): void {
  let h1 = state[0]!;
  let h2 = state[1]!;
  let h3 = state[2]!;
  let h4 = state[3]!;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  state[0] = h1;
  state[1] = h2;
  state[2] = h3;
  state[3] = h4;
}

/**
 * Final avalanche of `state`, so values of similar strings (rule 1, rule 2) differ in every
 * byte. Read the words with `>>> 0` for their unsigned value.
 */
export function finish(state: HashState): void {
  let h1 = state[0]!;
  let h2 = state[1]!;
  let h3 = state[2]!;
  let h4 = state[3]!;
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  state[0] = h1;
  state[1] = h2;
  state[2] = h3;
  state[3] = h4;
}
