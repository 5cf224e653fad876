import { EnsignError } from '@ensign/core';

// Change streams stay open for as long as a client likes, so their number is capped: in total,
// and per client address so one client cannot take every slot. A refused client is told to
// retry later (429), and the SDKs fall back to polling meanwhile.

export class StreamSlots {
  readonly #total: number;
  readonly #perClient: number;
  readonly #byClient = new Map<string, number>();
  #open = 0;

  constructor(limits: { total: number; perClient: number }) {
    this.#total = limits.total;
    this.#perClient = limits.perClient;
  }

  get open(): number {
    return this.#open;
  }

  /** Takes a slot for `client`, or throws `resource_exhausted`; the result gives it back (once). */
  take(client: string): () => void {
    const held = this.#byClient.get(client) ?? 0;
    if (this.#open >= this.#total) {
      throw new EnsignError('resource_exhausted', `too many change streams open (limit ${this.#total})`);
    }
    if (held >= this.#perClient) {
      throw new EnsignError(
        'resource_exhausted',
        `too many change streams open from ${client} (limit ${this.#perClient} per client)`,
      );
    }
    this.#open++;
    this.#byClient.set(client, held + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open--;
      const left = (this.#byClient.get(client) ?? 1) - 1;
      if (left === 0) this.#byClient.delete(client);
      else this.#byClient.set(client, left);
    };
  }
}
