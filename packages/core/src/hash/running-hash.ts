// The mixing steps of hash128 over one shared state, so that a caller hashing many small
// values (stableId: one per rule and distribution of a snapshot) allocates nothing but its
// result. Internal to the hash module: not exported from its index.

/**
 * The running state, shared: a caller hashing many small values (stableId) starts it, mixes
 * and finishes without allocating anything; Hash128 loads and stores its own state around it.
 */
export const running = new Uint32Array(4);

/** Resets the running state to the start of a hash. */
export function start(): void {
  running[0] = 0x6a09e667;
  running[1] = 0xbb67ae85;
  running[2] = 0x3c6ef372;
  running[3] = 0xa54ff53a;
}

/** Mixes the characters of `text` into the running state. */
export function mix(text: string): void {
  let h1 = running[0]!;
  let h2 = running[1]!;
  let h3 = running[2]!;
  let h4 = running[3]!;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  running[0] = h1;
  running[1] = h2;
  running[2] = h3;
  running[3] = h4;
}

/** Final avalanche of the running state, so values of similar strings (rule 1, rule 2) differ in every byte. */
export function finish(): void {
  let h1 = running[0]!;
  let h2 = running[1]!;
  let h3 = running[2]!;
  let h4 = running[3]!;
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  running[0] = h1;
  running[1] = h2;
  running[2] = h3;
  running[3] = h4;
}
