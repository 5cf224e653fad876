import { isRequestScopedRuntime } from '@ensign/core/runtime';
import type { SnapshotStore } from './persistence/snapshot-store.ts';

/** How an edge handler finds its origin and serves its callers. */
export interface EdgeOptions {
  /** Base URL of an Ensign server or any Flipt v1 server. */
  origin: string;
  /** Namespaces synced and served; others answer as unknown. Default `['default']`. */
  namespaces?: readonly string[];
  /** Data older than this is revalidated (If-None-Match) behind a request. Default 10 000. */
  refreshMs?: number;
  /** Sent to the origin as `Authorization: Bearer <token>`. */
  token?: string;
  /** Extra headers for every origin request (an environment, a proxy's key...). */
  originHeaders?: Readonly<Record<string, string>>;
  /** Tokens the handler's own callers must present, as Flipt's token authentication reads them. */
  authentication?: { tokens: readonly string[] };
  /** Keeps the last snapshot across cold starts (Workers KV, Cache API, Deno KV). */
  store?: SnapshotStore;
  /**
   * Follow the origin's change stream. Default: on where the runtime keeps connections between
   * requests, off where work is request-scoped (Cloudflare Workers, Vercel's edge runtime).
   */
  stream?: boolean;
  /** Longest wait for an origin answer. Default 5 000. */
  timeoutMs?: number;
  /** Largest accepted request body. Default 4 MiB, as the server's. */
  bodyLimit?: number;
}

/** Options, or a function of the platform's `env` (Workers bindings) that returns them. */
export type EdgeOptionsInput = EdgeOptions | ((env: unknown) => EdgeOptions);

export interface ResolvedOptions {
  origin: string;
  namespaces: readonly string[];
  refreshMs: number;
  originHeaders: Record<string, string>;
  tokens: ReadonlySet<string> | undefined;
  store: SnapshotStore | undefined;
  stream: boolean;
  timeoutMs: number;
  bodyLimit: number;
}

function positive(value: number | undefined, fallback: number, name: string): number {
  if (value === undefined) return fallback;
  if (!Number.isFinite(value) || value < 0)
    throw new TypeError(`@ensign/edge: ${name} must be a number >= 0`);
  return value;
}

export function resolveOptions(options: EdgeOptions): ResolvedOptions {
  if (typeof options.origin !== 'string' || !/^https?:\/\//.test(options.origin)) {
    throw new TypeError('@ensign/edge: origin must be an http(s) URL');
  }
  const originHeaders: Record<string, string> = { ...options.originHeaders };
  if (options.token) originHeaders['authorization'] = `Bearer ${options.token}`;
  const namespaces = options.namespaces?.length ? [...new Set(options.namespaces)] : ['default'];
  return {
    origin: options.origin.replace(/\/+$/, ''),
    namespaces,
    refreshMs: positive(options.refreshMs, 10_000, 'refreshMs'),
    originHeaders,
    tokens: options.authentication ? new Set(options.authentication.tokens) : undefined,
    store: options.store,
    stream: options.stream ?? !isRequestScopedRuntime(),
    timeoutMs: positive(options.timeoutMs, 5_000, 'timeoutMs'),
    bodyLimit: positive(options.bodyLimit, 4 * 1024 * 1024, 'bodyLimit'),
  };
}
