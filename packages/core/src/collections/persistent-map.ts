// An immutable string-keyed map whose edited copy costs about the square root of its size, not
// its size. A write to a 3,000-flag namespace used to copy several Maps of every flag
// (`new Map(map)` runs about 0.2 µs an entry here), which made each write slower than the one
// before; and lookups must stay as fast as a Map's, since evaluation looks a flag up per request
// (a hashed-bucket design cost 4x a Map lookup and halved evaluations of simple flags).
//
// A version is a large base Map shared by many versions plus a small overlay of the changes
// since; an edit copies the overlay only, and once the overlay outgrows about sqrt(2n) entries
// it is folded into a new base — one full copy every sqrt(n/2) edits. A lookup is one Map lookup
// in the overlay (skipped while it is empty) and one in the base.

const GONE: unique symbol = Symbol('gone');
type Slot<V> = V | typeof GONE;

const EMPTY_BASE: ReadonlyMap<string, never> = new Map<string, never>();
const EMPTY_OVERLAY: ReadonlyMap<string, never> = new Map<string, never>();

export class PersistentMap<V> {
  readonly size: number;
  readonly #base: ReadonlyMap<string, V>;
  readonly #overlay: ReadonlyMap<string, Slot<V>>;

  private constructor(base: ReadonlyMap<string, V>, overlay: ReadonlyMap<string, Slot<V>>, size: number) {
    this.#base = base;
    this.#overlay = overlay;
    this.size = size;
  }

  static empty<V>(): PersistentMap<V> {
    return new PersistentMap<V>(EMPTY_BASE, EMPTY_OVERLAY, 0);
  }

  static of<V>(entries: Iterable<readonly [string, V]>): PersistentMap<V> {
    const base = new Map(entries);
    return new PersistentMap<V>(base, EMPTY_OVERLAY, base.size);
  }

  get(key: string): V | undefined {
    if (this.#overlay.size !== 0) {
      const slot = this.#overlay.get(key);
      if (slot !== undefined) return slot === GONE ? undefined : slot;
    }
    return this.#base.get(key);
  }

  has(key: string): boolean {
    return this.get(key) !== undefined;
  }

  /** Every entry, in no particular order. */
  *entries(): Generator<[string, V]> {
    for (const entry of this.#base) if (!this.#overlay.has(entry[0])) yield entry;
    for (const [key, slot] of this.#overlay) if (slot !== GONE) yield [key, slot];
  }

  *keys(): Generator<string> {
    for (const [key] of this.entries()) yield key;
  }

  /** A draft of the next version; this map is never changed. */
  edit(): Draft<V> {
    return new Draft(this, this.#overlay, (overlay, size) => {
      if (overlay.size * overlay.size <= 2 * size + 64) return new PersistentMap(this.#base, overlay, size);
      const base = new Map(this.#base);
      for (const [key, slot] of overlay) {
        if (slot === GONE) base.delete(key);
        else base.set(key, slot);
      }
      return new PersistentMap(base, EMPTY_OVERLAY, size);
    });
  }
}

/** Edits of one PersistentMap version, turned into the next by done(). */
export class Draft<V> {
  readonly #from: PersistentMap<V>;
  readonly #start: ReadonlyMap<string, Slot<V>>;
  readonly #finish: (overlay: ReadonlyMap<string, Slot<V>>, size: number) => PersistentMap<V>;
  #overlay: Map<string, Slot<V>> | undefined;
  #size: number;
  #finished = false;

  constructor(
    from: PersistentMap<V>,
    overlay: ReadonlyMap<string, Slot<V>>,
    finish: (overlay: ReadonlyMap<string, Slot<V>>, size: number) => PersistentMap<V>,
  ) {
    this.#from = from;
    this.#start = overlay;
    this.#finish = finish;
    this.#size = from.size;
  }

  get(key: string): V | undefined {
    const slot = this.#overlay?.get(key);
    if (slot !== undefined) return slot === GONE ? undefined : slot;
    return this.#from.get(key);
  }

  set(key: string, value: V): this {
    if (this.get(key) === undefined) this.#size++;
    this.#writable().set(key, value);
    return this;
  }

  delete(key: string): this {
    if (this.get(key) === undefined) return this;
    this.#writable().set(key, GONE);
    this.#size--;
    return this;
  }

  /** The edited map; the draft is finished and refuses further edits. */
  done(): PersistentMap<V> {
    this.#finished = true;
    return this.#overlay ? this.#finish(this.#overlay, this.#size) : this.#from;
  }

  #writable(): Map<string, Slot<V>> {
    if (this.#finished) throw new Error('PersistentMap draft edited after done()');
    this.#overlay ??= new Map(this.#start);
    return this.#overlay;
  }
}
