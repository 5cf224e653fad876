import { openChangeStream } from '@ensign/client/change-stream';
import type { ServingNamespace, ServingSnapshot } from '@ensign/core/api';
import { sha1Hex } from '@ensign/core/api';
import { EnsignError } from '@ensign/core/errors';
import type { ResolvedOptions } from '../options.ts';
import type { StoredSnapshot } from '../persistence/snapshot-store.ts';
import { type OriginNamespace, originNamespace } from './origin-namespace.ts';

// Keeps each configured namespace's snapshot from the origin, stale-while-revalidate: a request
// finding the data older than refreshMs starts one conditional fetch (If-None-Match) for all
// namespaces and is answered from what is held; only a cold isolate with nothing to serve waits.
// A failed fetch or a broken document keeps the last good version serving and marks the sync
// degraded until a fetch succeeds again.

/** The newest document form (default variants, ENTITY_ID constraints); older forms derive from it. */
const NEWEST_DOCUMENT_VERSION = '1.47.0';

export interface SyncStatus {
  state: 'starting' | 'ok' | 'degraded';
  error?: string;
  lastSuccessAt?: string;
  lastFailureAt?: string;
}

type WaitUntil = (promise: Promise<unknown>) => void;

export class OriginSync {
  readonly #options: ResolvedOptions;
  readonly #entries = new Map<string, OriginNamespace>();
  /** Namespaces the origin answered 404 for: served as unknown, like the origin would. */
  readonly #absent = new Set<string>();
  #coldStart: Promise<void> | undefined;
  #refreshing: Promise<void> | undefined;
  #checkedAt = Number.NEGATIVE_INFINITY;
  #lastSuccess: number | undefined;
  #lastFailure: number | undefined;
  #error: string | undefined;
  #streams: Array<{ close(): void }> | undefined;

  readonly snapshot: ServingSnapshot;

  constructor(options: ResolvedOptions) {
    this.#options = options;
    this.snapshot = { namespace: (key) => this.#namespace(key === '' ? 'default' : key) };
  }

  #namespace(key: string): ServingNamespace | undefined {
    const entry = this.#entries.get(key);
    if (entry || this.#absent.has(key) || !this.#options.namespaces.includes(key)) return entry;
    // Configured but never loaded: saying "not found" would be a lie.
    throw new EnsignError(
      'unavailable',
      `namespace "${key}" has no snapshot yet: ${this.#error ?? 'origin not reached'}`,
    );
  }

  /**
   * Readies the data for a request. A cold isolate loads from the store, else waits for the
   * origin; after that a due revalidation runs behind the request, handed to `waitUntil`.
   */
  async prepare(waitUntil: WaitUntil | undefined): Promise<void> {
    this.#coldStart ??= this.#loadStored();
    await this.#coldStart;
    if (this.#options.stream && !this.#streams) this.#openStreams();
    if (Date.now() - this.#checkedAt < this.#options.refreshMs) return;
    const refresh = this.refresh();
    if (this.#missingAny()) await refresh;
    else waitUntil?.(refresh);
  }

  /** One conditional fetch of every namespace; concurrent callers share it. */
  refresh(): Promise<void> {
    this.#refreshing ??= this.#refreshAll().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  status(): SyncStatus {
    const state =
      this.#entries.size === 0 && this.#lastSuccess === undefined
        ? 'starting'
        : this.#error
          ? 'degraded'
          : 'ok';
    const status: SyncStatus = { state };
    if (this.#error) status.error = this.#error;
    if (this.#lastSuccess !== undefined) status.lastSuccessAt = new Date(this.#lastSuccess).toISOString();
    if (this.#lastFailure !== undefined) status.lastFailureAt = new Date(this.#lastFailure).toISOString();
    return status;
  }

  /** Seconds since the origin last answered, while it is failing; undefined while healthy. */
  staleSeconds(): number | undefined {
    if (!this.#error) return undefined;
    const since = this.#lastSuccess ?? this.#oldestStored();
    return since === undefined ? undefined : Math.max(0, Math.round((Date.now() - since) / 1000));
  }

  close(): void {
    for (const stream of this.#streams ?? []) stream.close();
    this.#streams = [];
  }

  #oldestStored(): number | undefined {
    let oldest: number | undefined;
    for (const entry of this.#entries.values())
      oldest = Math.min(oldest ?? Infinity, entry.snapshot.fetchedAt);
    return oldest;
  }

  #missingAny(): boolean {
    return this.#options.namespaces.some((ns) => !this.#entries.has(ns) && !this.#absent.has(ns));
  }

  async #loadStored(): Promise<void> {
    const store = this.#options.store;
    if (!store) return;
    let oldest = Number.POSITIVE_INFINITY;
    await Promise.all(
      this.#options.namespaces.map(async (ns) => {
        try {
          const stored = await withTimeout(store.load(ns), this.#options.timeoutMs);
          if (!stored) return;
          this.#entries.set(ns, originNamespace(stored));
          oldest = Math.min(oldest, stored.fetchedAt);
        } catch {
          // An unreadable or broken stored copy is a miss; the origin is asked instead.
        }
      }),
    );
    // Stored data counts as checked when it was fetched, so fresh data is served as is.
    if (!this.#missingAny()) this.#checkedAt = oldest;
  }

  async #refreshAll(): Promise<void> {
    this.#checkedAt = Date.now();
    const failures: string[] = [];
    await Promise.all(
      this.#options.namespaces.map((ns) =>
        this.#refreshOne(ns).catch((error: unknown) => {
          failures.push(`${ns}: ${error instanceof Error ? error.message : String(error)}`);
        }),
      ),
    );
    if (failures.length > 0) {
      this.#lastFailure = Date.now();
      this.#error = `origin sync failed (${failures.join('; ')})`;
    } else {
      this.#lastSuccess = Date.now();
      this.#error = undefined;
    }
  }

  async #refreshOne(ns: string): Promise<void> {
    const held = this.#entries.get(ns);
    const headers: Record<string, string> = {
      ...this.#options.originHeaders,
      accept: 'application/json',
      'x-flipt-accept-server-version': NEWEST_DOCUMENT_VERSION,
    };
    if (held) headers['if-none-match'] = held.etag;
    const url = `${this.#options.origin}/internal/v1/evaluation/snapshot/namespace/${encodeURIComponent(ns)}`;
    const response = await fetch(url, { headers, signal: AbortSignal.timeout(this.#options.timeoutMs) });
    if (response.status === 304) {
      await response.body?.cancel();
      return;
    }
    if (response.status === 404) {
      await response.body?.cancel();
      this.#entries.delete(ns);
      this.#absent.add(ns);
      return;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new Error(`origin answered ${response.status}`);
    }
    const text = await response.text();
    const etag = response.headers.get('etag') ?? sha1Hex(text);
    if (held && etag === held.etag) return;
    const snapshot: StoredSnapshot = { etag, text, fetchedAt: Date.now() };
    // Compiled before it replaces anything: a broken document leaves the last good one serving.
    this.#entries.set(ns, originNamespace(snapshot));
    this.#absent.delete(ns);
    await this.#options.store?.save(ns, snapshot).catch(() => {});
  }

  #openStreams(): void {
    this.#streams = this.#options.namespaces.map((ns) =>
      openChangeStream({
        url: `${this.#options.origin}/internal/v1/evaluation/snapshot/namespace/${encodeURIComponent(ns)}/stream`,
        headers: this.#options.originHeaders,
        idleTimeoutMs: 45_000,
        reconnectDelayMs: { initial: 500, max: 30_000 },
        lastEventId: () => this.#entries.get(ns)?.etag,
        onVersion: (etag) => {
          if (etag !== this.#entries.get(ns)?.etag) this.refresh().catch(() => {});
        },
      }),
    );
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
