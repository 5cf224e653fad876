// A small seeded PRNG (mulberry32) so every conformance failure can be replayed from its seed.

export class Prng {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Uniform in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let t = this.#state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(below: number): number {
    return Math.floor(this.next() * below);
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }

  some<T>(items: readonly T[], min: number, max: number): T[] {
    const count = min + this.int(max - min + 1);
    return Array.from({ length: count }, () => this.pick(items));
  }

  /** `count` positive integers that add up to exactly `total`. */
  split(total: number, count: number): number[] {
    const cuts = Array.from({ length: count - 1 }, () => this.int(total + 1)).sort((a, b) => a - b);
    return [...cuts, total].map((cut, i) => cut - (i === 0 ? 0 : cuts[i - 1]!));
  }
}

/** The same generator as a bare function, for tests that only need numbers. */
export function prng(seed: number): () => number {
  const generator = new Prng(seed);
  return () => generator.next();
}
