// An immutable string-keyed map whose edited copy costs what the edit touched, not the map's
// size. A write to a 3,000-flag namespace used to copy several Maps of every flag (`new Map(map)`
// runs about 0.25 µs an entry here), which made each write slower than the one before.
//
// Entries live in a fixed number of small Maps chosen by a hash of the key; an edit copies the
// array of buckets and only the buckets it changes. Lookups cost one short string hash more
// than a Map's.

const BUCKETS = 256;

function bucketOf(key: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  return (h ^ (h >>> 16)) & (BUCKETS - 1);
}

const NONE: readonly (ReadonlyMap<string, never> | undefined)[] = new Array(BUCKETS).fill(undefined);

export class PersistentMap<V> {
  readonly size: number;
  readonly #buckets: readonly (ReadonlyMap<string, V> | undefined)[];

  private constructor(buckets: readonly (ReadonlyMap<string, V> | undefined)[], size: number) {
    this.#buckets = buckets;
    this.size = size;
  }

  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(NONE, 0);
  }

  static of<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    const draft = PersistentMap.empty<V>().edit();
    for (const [key, value] of entries) draft.set(key, value);
    return draft.done();
  }

  get(key: string): V | undefined {
    return this.#buckets[bucketOf(key)]?.get(key);
  }

  has(key: string): boolean {
    return this.#buckets[bucketOf(key)]?.has(key) ?? false;
  }

  /** Every entry, in no particular order. */
  *entries(): Generator<[string, V]> {
    for (const bucket of this.#buckets) if (bucket) yield* bucket;
  }

  *keys(): Generator<string> {
    for (const bucket of this.#buckets) if (bucket) yield* bucket.keys();
  }

  /** A draft of the next version; this map is never changed. */
  edit(): Draft<V> {
    return new Draft(this.#buckets, this.size, (buckets, size) => new PersistentMap(buckets, size));
  }
}

export class Draft<V> {
  #buckets: (ReadonlyMap<string, V> | undefined)[] | undefined;
  readonly #base: readonly (ReadonlyMap<string, V> | undefined)[];
  #size: number;
  #finished = false;
  readonly #own = new Set<number>();
  readonly #finish: (
    buckets: readonly (ReadonlyMap<string, V> | undefined)[],
    size: number,
  ) => PersistentMap<V>;

  constructor(
    base: readonly (ReadonlyMap<string, V> | undefined)[],
    size: number,
    finish: (buckets: readonly (ReadonlyMap<string, V> | undefined)[], size: number) => PersistentMap<V>,
  ) {
    this.#base = base;
    this.#size = size;
    this.#finish = finish;
  }

  get(key: string): V | undefined {
    return (this.#buckets ?? this.#base)[bucketOf(key)]?.get(key);
  }

  set(key: string, value: V): this {
    const bucket = this.#writable(bucketOf(key));
    if (!bucket.has(key)) this.#size++;
    bucket.set(key, value);
    return this;
  }

  delete(key: string): this {
    const index = bucketOf(key);
    if (!(this.#buckets ?? this.#base)[index]?.has(key)) return this;
    this.#writable(index).delete(key);
    this.#size--;
    return this;
  }

  /** The edited map; the draft is finished and refuses further edits. */
  done(): PersistentMap<V> {
    this.#finished = true;
    return this.#finish(this.#buckets ?? this.#base, this.#size);
  }

  #writable(index: number): Map<string, V> {
    if (this.#finished) throw new Error('PersistentMap draft edited after done()');
    this.#buckets ??= [...this.#base];
    if (!this.#own.has(index)) {
      this.#buckets[index] = new Map(this.#buckets[index]);
      this.#own.add(index);
    }
    return this.#buckets[index] as Map<string, V>;
  }
}
