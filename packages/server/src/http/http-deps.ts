import type { Auth } from '../auth/index.ts';
import type { Config } from '../config/types.ts';
import { VERSION } from '../meta/version.ts';
import { createMetrics, type Metrics } from '../observability/metrics.ts';
import { servicesAtReference } from '../service/at-reference.ts';
import { createServices, type Services } from '../service/index.ts';
import type { SnapshotSource } from '../storage/contract.ts';
import type { ManagementStore } from '../storage/management-store.ts';
import type { HttpDeps, HttpLogger } from './deps.ts';

// What the HTTP routes share, apart from the Hono app that holds them: the evaluation fast path
// (node-listener.ts) needs only this, so it can answer before the app is loaded.

export interface CreateAppOptions {
  source: SnapshotSource;
  config: Config;
  logger: HttpLogger;
  /** Shared with other transports (gRPC) when given; otherwise the app makes its own registry. */
  metrics?: Metrics;
  /** A writable store (database backends); read-only sources always reject writes. */
  management?: ManagementStore;
  /** Reported by /meta/info; defaults to this package's version. */
  version?: string;
  /** Authentication (gate, auth API, service guard); absent when neither required nor offered. */
  auth?: Auth;
  /** The SSE change stream; `false` serves Flipt's API alone (no push). */
  stream?: { heartbeatMs?: number } | false;
  /** Aborted when the server starts shutting down (change streams end with a goaway event). */
  shutdown?: AbortSignal;
}

const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

/** What every route needs, built once per server. */
export function createHttpDeps(options: CreateAppOptions): HttpDeps {
  const { source, config, logger } = options;
  const metrics = options.metrics ?? createMetrics(source);
  const serviceDeps = { source, metrics, ...(options.management ? { management: options.management } : {}) };
  const services = createServices(serviceDeps);
  // Every surface, pinned to a `reference` or not, answers through the authorization guard.
  const guard = (unguarded: Services): Services => (options.auth ? options.auth.guard(unguarded) : unguarded);
  const guarded = guard(services);
  return {
    services: guarded,
    servicesAt: servicesAtReference(serviceDeps, services, guard),
    source,
    config,
    metrics,
    logger,
    bodyLimit: config.server.maxBodyBytes > 0 ? config.server.maxBodyBytes : DEFAULT_BODY_LIMIT,
    version: options.version ?? VERSION,
    auth: options.auth,
  };
}
