// The public shapes of @flipt-io/flipt-client-js 0.5.1, restated so code that imports them from
// Flipt's package keeps compiling after switching the import to @ensign/client. Extra options
// Ensign adds are marked as such.

/** What a fetcher must return: the subset of the Fetch API Response the client reads. */
export interface Response {
  ok: boolean;
  status: number;
  statusText: string;
  headers: { get(name: string): string | null };
  json(): Promise<unknown>;
}

export interface IFetcherOptions {
  /** The last ETag seen; a fetcher should send it as If-None-Match. */
  etag?: string;
}

export type IFetcher = (opts?: IFetcherOptions) => Promise<Response>;

// biome-ignore lint/suspicious/noEmptyInterface: Flipt's marker type, kept for source compatibility.
export interface AuthenticationStrategy {}

export interface ClientTokenAuthentication extends AuthenticationStrategy {
  clientToken: string;
}

export interface JWTAuthentication extends AuthenticationStrategy {
  jwtToken: string;
}

export const ErrorStrategy = {
  Fail: 'fail',
  Fallback: 'fallback',
} as const;
export type ErrorStrategy = (typeof ErrorStrategy)[keyof typeof ErrorStrategy];

export interface Hook {
  before(data: { flagKey: string }): void;
  after(data: {
    flagKey: string;
    flagType: string;
    value: string;
    reason: string;
    segmentKeys: string[];
  }): void;
}

export interface ClientOptions {
  /** Flipt v2 only; sent as X-Flipt-Environment (a v1 server ignores it). */
  environment?: string;
  namespace?: string;
  url?: string;
  /**
   * Seconds between polls. Polling runs only when this is > 0, and only while push is down. In
   * the `request` refresh mode: the age after which a request revalidates the data (default 10).
   */
  updateInterval?: number;
  /**
   * Ensign: how updates arrive. `background` (Node, browsers, Deno, Bun): the change stream, and
   * polling timers while it is down. `request` (Cloudflare Workers, Vercel's edge runtime, where
   * timers and sockets die with the request that opened them): no stream and no timers; a
   * request finding the data older than updateInterval starts a conditional fetch, and
   * `refreshIfStale()` hands that fetch to `ctx.waitUntil`. Default: detected from the runtime.
   */
  refreshMode?: 'background' | 'request';
  authentication?: AuthenticationStrategy;
  reference?: string;
  /** A string from getSnapshot(); with errorStrategy 'fallback' the client starts offline from it. */
  snapshot?: string;
  fetcher?: IFetcher;
  errorStrategy?: ErrorStrategy | 'fail' | 'fallback';
  hook?: Hook;
  /**
   * Ensign: subscribe to the server's change stream when it offers one (default true). Ignored
   * with a custom fetcher, whose transport the client cannot know, and in the `request` mode.
   */
  stream?: boolean;
  /** Ensign: reconnect after this long without a byte on the stream, heartbeats included (ms). */
  streamIdleTimeoutMs?: number;
  /** Ensign: reconnect backoff bounds (ms); each attempt waits a jittered, doubling delay. */
  reconnectDelayMs?: { initial: number; max: number };
}

export interface EvaluationRequest {
  flagKey: string;
  entityId: string;
  context: Record<string, string>;
}

export interface Flag {
  key: string;
  enabled: boolean;
  type: string;
  description?: string;
}

export interface VariantEvaluationResponse {
  match: boolean;
  segmentKeys: string[];
  reason: string;
  flagKey: string;
  variantKey: string;
  variantAttachment: string;
  requestDurationMillis: number;
  timestamp: string;
}

export interface BooleanEvaluationResponse {
  enabled: boolean;
  flagKey: string;
  reason: string;
  requestDurationMillis: number;
  timestamp: string;
  segmentKeys: string[];
}

export interface ErrorEvaluationResponse {
  flagKey: string;
  namespaceKey: string;
  reason: string;
}

export interface EvaluationResponse {
  type: string;
  booleanEvaluationResponse?: BooleanEvaluationResponse;
  variantEvaluationResponse?: VariantEvaluationResponse;
  errorEvaluationResponse?: ErrorEvaluationResponse;
}

export interface BatchEvaluationResponse {
  responses: EvaluationResponse[];
  requestDurationMillis: number;
}

/** Ensign: what a change listener receives after the client swapped in a new snapshot. */
export interface SnapshotChange {
  etag: string | undefined;
  /** Keys of flags added, removed or edited by the change. */
  flagsChanged: string[];
  /** How the change was noticed. */
  via: 'stream' | 'poll' | 'refresh';
}

// biome-ignore lint/complexity/noStaticOnlyClass: Flipt's API is ClientOptionsFactory.default().
export class ClientOptionsFactory {
  static default(): ClientOptions {
    return { url: 'http://localhost:8080', namespace: 'default', updateInterval: 120 };
  }
}
