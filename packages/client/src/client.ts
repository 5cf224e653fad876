import { createEvaluator, type Evaluator } from '@ensign/core/evaluation';
import { isRequestScopedRuntime } from '@ensign/core/runtime';
import { type ChangeStream, openChangeStream } from './change-stream.ts';
import { defaultFetcher } from './fetcher.ts';
import { changedFlagKeys } from './flag-diff.ts';
import { type Endpoint, endpointOf, streamUrl } from './request.ts';
import { batchItemOf, booleanOf, variantOf } from './responses.ts';
import { decodeSnapshot, encodeSnapshot } from './snapshot-codec.ts';
import type {
  BatchEvaluationResponse,
  BooleanEvaluationResponse,
  ClientOptions,
  EvaluationRequest,
  Flag,
  Hook,
  IFetcher,
  SnapshotChange,
  VariantEvaluationResponse,
} from './types.ts';

/** One version of the namespace: what was fetched and what evaluates it. */
interface State {
  etag: string | undefined;
  document: unknown;
  evaluator: Evaluator;
  /** Flag key → type, built on first use: providers pick variant or boolean evaluation by it. */
  types?: Map<string, string>;
}

type Via = SnapshotChange['via'];

/** A request-mode fetch older than this is presumed stranded with the request that started it. */
const STALLED_FETCH_MS = 30_000;

// Single evaluations report requestDurationMillis 0: they take well under a microsecond, below
// what the field can usefully say, and two clock reads would double their cost. Batches are timed.

function validate(flagKey: string, entityId: string): void {
  if (!flagKey || flagKey.trim() === '') throw new Error('flagKey cannot be empty');
  if (!entityId || entityId.trim() === '') throw new Error('entityId cannot be empty');
}

/** Waits before asking again for an announced version the first GET did not return. */
const ANNOUNCED_VERSION_RETRY_MS = [250, 500, 1000];

/**
 * Client-side evaluation with @flipt-io/flipt-client-js's API. Evaluations are synchronous reads
 * of the current State; fetches run in the background, one at a time, and swap State whole, so an
 * evaluation never sees half a change and never waits on (or fails because of) the network.
 */
export class EnsignClient {
  readonly #endpoint: Endpoint;
  readonly #fetcher: IFetcher;
  readonly #strategy: ClientOptions['errorStrategy'];
  readonly #hook: Hook | undefined;
  readonly #listeners = new Set<(change: SnapshotChange) => void>();
  #state: State;
  #queue: Promise<unknown> = Promise.resolve();
  #streamRefetchQueued = false;
  #stream: ChangeStream | undefined;
  #poller: ReturnType<typeof setInterval> | undefined;
  #closed = false;
  /** `request` mode: revalidate when the data is older than this (ms). */
  #requestRefreshMs: number | undefined;
  #checkedAt = 0;
  #requestRefresh: { promise: Promise<boolean>; startedAt: number } | undefined;

  private constructor(options: ClientOptions) {
    this.#endpoint = endpointOf(options);
    this.#fetcher = options.fetcher ?? defaultFetcher(this.#endpoint);
    this.#strategy = options.errorStrategy;
    this.#hook = options.hook;
    const empty = { namespace: { key: this.#endpoint.namespace }, flags: [] };
    this.#state = { etag: undefined, document: empty, evaluator: createEvaluator(empty) };
  }

  /** Fetches the first snapshot (or seeds from `snapshot`), then starts push and/or polling. */
  static async init(options: ClientOptions = {}): Promise<EnsignClient> {
    const client = new EnsignClient(options);
    if (options.snapshot) {
      const seed = decodeSnapshot(options.snapshot);
      client.#swap(seed.etag, seed.document, 'refresh');
    }
    try {
      await client.#fetch('refresh');
    } catch (error) {
      // Like Flipt: only a seeded client in fallback mode may start without the server.
      if (!options.snapshot || options.errorStrategy !== 'fallback') throw error;
    }
    client.#startUpdates(options);
    return client;
  }

  #startUpdates(options: ClientOptions): void {
    this.#checkedAt = Date.now();
    const mode = options.refreshMode ?? (isRequestScopedRuntime() ? 'request' : 'background');
    if (mode === 'request') {
      // Nothing may outlive a request here: no stream, no timer. Requests revalidate instead.
      this.#requestRefreshMs = (options.updateInterval ?? 10) * 1000;
      return;
    }
    const pushWanted = options.stream !== false && !options.fetcher && typeof fetch === 'function';
    if (pushWanted) {
      this.#stream = openChangeStream({
        url: streamUrl(this.#endpoint),
        headers: this.#endpoint.headers,
        idleTimeoutMs: options.streamIdleTimeoutMs ?? 45_000,
        reconnectDelayMs: options.reconnectDelayMs ?? { initial: 500, max: 30_000 },
        lastEventId: () => this.#state.etag,
        onVersion: (etag) => this.#onPushedVersion(etag),
      });
    }
    const seconds = options.updateInterval ?? 0;
    if (seconds > 0) {
      // Polling is the fallback: it stays idle while the stream is connected.
      this.#poller = setInterval(() => {
        if (!this.#stream?.connected) this.#background('poll');
      }, seconds * 1000);
    }
  }

  #onPushedVersion(etag: string): void {
    if (etag === this.#state.etag || this.#streamRefetchQueued) return;
    // Coalesce a burst of events into one fetch; the flag clears when the fetch starts, so an
    // event arriving during that fetch queues exactly one more.
    this.#streamRefetchQueued = true;
    this.#enqueue(async () => {
      this.#streamRefetchQueued = false;
      await this.#fetchNow('stream');
      // Behind a load balancer the GET can reach another replica than the one that announced
      // the version: one that has not caught up yet, or one shutting down. Ask again shortly,
      // unless a newer event has queued its own fetch.
      for (const delay of ANNOUNCED_VERSION_RETRY_MS) {
        if (this.#closed || this.#state.etag === etag || this.#streamRefetchQueued) return;
        await new Promise((resolve) => setTimeout(resolve, delay));
        await this.#fetchNow('stream');
      }
    }).catch(() => {});
  }

  #background(via: Via): void {
    this.#fetch(via).catch(() => {});
  }

  #enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.#queue.then(task);
    this.#queue = run.catch(() => {});
    return run;
  }

  #fetch(via: Via): Promise<boolean> {
    return this.#enqueue(() => this.#fetchNow(via));
  }

  /** One conditional GET. Resolves true when a new version was swapped in. */
  async #fetchNow(via: Via): Promise<boolean> {
    if (this.#closed) return false;
    const response = await this.#fetcher({ etag: this.#state.etag });
    if (response.status === 304) return false;
    if (!response.ok) throw new Error(`Failed to fetch data: ${response.statusText || response.status}`);
    const etag = response.headers.get('etag') ?? undefined;
    if (etag !== undefined && etag === this.#state.etag) {
      // Same version: release the connection without reading the body.
      await (response as { body?: { cancel?(): Promise<void> } }).body?.cancel?.();
      return false;
    }
    return this.#swap(etag, await response.json(), via);
  }

  /** Compiles first, so an invalid document leaves the last good state in place. */
  #swap(etag: string | undefined, document: unknown, via: Via): boolean {
    const evaluator = createEvaluator(document);
    const flagsChanged = changedFlagKeys(this.#state.document, document);
    const sameVersion = etag === undefined ? flagsChanged.length === 0 : etag === this.#state.etag;
    this.#state = { etag, document, evaluator };
    if (sameVersion) return false;
    for (const listener of this.#listeners) {
      try {
        listener({ etag, flagsChanged, via });
      } catch {
        // A listener's failure must not stop the others or the update.
      }
    }
    return true;
  }

  /**
   * Ensign, `request` mode: when the data is older than updateInterval, starts a conditional
   * fetch and returns it (hand it to `ctx.waitUntil` so the runtime lets it finish after the
   * response); otherwise resolves false at once. Evaluations call it too, without waiting.
   * The fetch is not shared with later requests: where I/O belongs to one request, a promise
   * left over from an ended request may never settle, so one older than a fetch can take is
   * abandoned.
   */
  refreshIfStale(): Promise<boolean> {
    const every = this.#requestRefreshMs;
    if (every === undefined || this.#closed) return Promise.resolve(false);
    const now = Date.now();
    const running = this.#requestRefresh;
    if (running && now - running.startedAt < STALLED_FETCH_MS) return running.promise;
    if (now - this.#checkedAt < every) return Promise.resolve(false);
    this.#checkedAt = now;
    const promise = this.#fetchNow('poll')
      .catch(() => false)
      .finally(() => {
        if (this.#requestRefresh?.promise === promise) this.#requestRefresh = undefined;
      });
    this.#requestRefresh = { promise, startedAt: now };
    return promise;
  }

  /** Fetches now. True when the state changed; errors throw only with errorStrategy 'fail'. */
  async refresh(): Promise<boolean> {
    try {
      return await this.#fetch('refresh');
    } catch (error) {
      if (this.#strategy === 'fail') throw error;
      return false;
    }
  }

  evaluateVariant({ flagKey, entityId, context }: EvaluationRequest): VariantEvaluationResponse {
    validate(flagKey, entityId);
    if (this.#requestRefreshMs !== undefined) void this.refreshIfStale();
    this.#hook?.before({ flagKey });
    const r = this.#state.evaluator.variant({
      namespaceKey: this.#endpoint.namespace,
      flagKey,
      entityId,
      context,
    });
    const result = variantOf(r, 0);
    this.#hook?.after({
      flagKey,
      flagType: 'variant',
      value: result.variantKey,
      reason: result.reason,
      segmentKeys: result.segmentKeys,
    });
    return result;
  }

  evaluateBoolean({ flagKey, entityId, context }: EvaluationRequest): BooleanEvaluationResponse {
    validate(flagKey, entityId);
    if (this.#requestRefreshMs !== undefined) void this.refreshIfStale();
    this.#hook?.before({ flagKey });
    const r = this.#state.evaluator.boolean({
      namespaceKey: this.#endpoint.namespace,
      flagKey,
      entityId,
      context,
    });
    const result = booleanOf(r, 0);
    this.#hook?.after({
      flagKey,
      flagType: 'boolean',
      value: String(result.enabled),
      reason: result.reason,
      segmentKeys: result.segmentKeys,
    });
    return result;
  }

  evaluateBatch(requests: EvaluationRequest[]): BatchEvaluationResponse {
    for (const r of requests) validate(r.flagKey, r.entityId);
    if (this.#requestRefreshMs !== undefined) void this.refreshIfStale();
    const namespaceKey = this.#endpoint.namespace;
    for (const r of requests) this.#hook?.before({ flagKey: r.flagKey });
    const start = performance.now();
    const batch = this.#state.evaluator.batch(requests.map((r) => ({ ...r, namespaceKey })));
    const responses = batch.responses.map(batchItemOf);
    for (const item of responses) {
      const v = item.variantEvaluationResponse;
      const b = item.booleanEvaluationResponse;
      if (v) {
        const { flagKey, variantKey: value, reason, segmentKeys } = v;
        this.#hook?.after({ flagKey, flagType: 'variant', value, reason, segmentKeys });
      } else if (b) {
        const { flagKey, reason, segmentKeys } = b;
        this.#hook?.after({ flagKey, flagType: 'boolean', value: String(b.enabled), reason, segmentKeys });
      }
    }
    return { responses, requestDurationMillis: performance.now() - start };
  }

  listFlags(): Flag[] {
    return this.#state.evaluator.flags().map(({ key, enabled, type, description }) => ({
      key,
      enabled,
      type,
      description,
    }));
  }

  /** A string that seeds another client (`snapshot` option), e.g. persisted for offline starts. */
  getSnapshot(): string {
    return encodeSnapshot({ etag: this.#state.etag, document: this.#state.document });
  }

  /** Ensign: called after each new version is swapped in. Returns an unsubscribe function. */
  onChange(listener: (change: SnapshotChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Ensign: a flag's type (`VARIANT_FLAG_TYPE` / `BOOLEAN_FLAG_TYPE`), undefined when unknown. */
  flagType(flagKey: string): string | undefined {
    const state = this.#state;
    state.types ??= new Map(state.evaluator.flags().map((f) => [f.key, f.type]));
    return state.types.get(flagKey);
  }

  /** Ensign: the ETag of the version being evaluated (undefined before any, or if the server sends none). */
  get etag(): string | undefined {
    return this.#state.etag;
  }

  /**
   * Ensign: true while the change stream is connected and alive (polling is idle then). Always
   * false in the `request` mode, which has no stream.
   */
  get streaming(): boolean {
    return this.#stream?.connected ?? false;
  }

  /** Stops polling and push. Evaluations keep answering from the last state. */
  close(): void {
    this.#closed = true;
    clearInterval(this.#poller);
    this.#stream?.close();
    this.#listeners.clear();
  }
}

/** The name flipt-client-js exports, so switching packages is an import change. */
export { EnsignClient as FliptClient };
