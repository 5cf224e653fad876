import { Hono } from 'hono';
import type { Auth } from '../auth/index.ts';
import type { Config } from '../config/types.ts';
import { classifyError } from '../errors/mapping.ts';
import { VERSION } from '../meta/version.ts';
import { createMetrics, type Metrics } from '../observability/metrics.ts';
import { servicesAtReference } from '../service/at-reference.ts';
import { createServices, type Services } from '../service/index.ts';
import type { SnapshotSource } from '../storage/contract.ts';
import type { ManagementStore } from '../storage/management-store.ts';
import type { HttpDeps, HttpLogger } from './deps.ts';
import { authMiddleware } from './middleware/auth.ts';
import { corsMiddleware } from './middleware/cors.ts';
import { notFoundHandler } from './middleware/not-found.ts';
import { routingPath } from './paths.ts';
import { fliptError } from './respond.ts';
import { registerAuthRoutes } from './routes/auth.ts';
import { registerEvaluationRoutes } from './routes/evaluation.ts';
import { registerFlagRoutes } from './routes/flags.ts';
import { registerHistoryRoutes } from './routes/history.ts';
import { registerKubernetesRoutes } from './routes/kubernetes.ts';
import { registerLegacyEvaluationRoutes } from './routes/legacy-evaluation.ts';
import { registerLoginRoutes } from './routes/login.ts';
import { registerNamespaceRoutes } from './routes/namespaces.ts';
import { registerOfrepRoutes } from './routes/ofrep.ts';
import { registerOpsRoutes } from './routes/ops.ts';
import { registerRolloutRoutes } from './routes/rollouts.ts';
import { registerRuleRoutes } from './routes/rules.ts';
import { registerSegmentRoutes } from './routes/segments.ts';
import { registerSnapshotRoutes } from './routes/snapshot.ts';
import { registerStreamRoutes } from './routes/stream.ts';
import { registerUiRoutes } from './routes/ui.ts';
import { StreamSlots } from './stream-slots.ts';

// Flipt v1's HTTP API as a Hono app (docs/http-api.md). Routes are thin: decode, call a
// service, write JSON. Errors from anywhere end in one mapping (errors/mapping.ts).

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

export function createApp(options: CreateAppOptions, deps: HttpDeps = createHttpDeps(options)): Hono {
  const { source, config, logger } = options;
  const { metrics } = deps;
  const app = new Hono({ getPath: routingPath });

  // Only when enabled: the evaluation hot path otherwise runs with no middleware at all.
  if (config.cors.enabled) app.use('*', corsMiddleware(config.cors));
  if (deps.auth) app.use('*', authMiddleware(deps.auth, config.authentication));

  registerEvaluationRoutes(app, deps);
  registerLegacyEvaluationRoutes(app, deps);
  registerNamespaceRoutes(app, deps);
  registerFlagRoutes(app, deps);
  registerRuleRoutes(app, deps);
  registerRolloutRoutes(app, deps);
  registerSegmentRoutes(app, deps);
  registerSnapshotRoutes(app, deps);
  if (options.stream !== false) {
    const { maxChangeStreams, maxChangeStreamsPerClient } = config.server.limits;
    registerStreamRoutes(app, {
      source,
      heartbeatMs: options.stream?.heartbeatMs,
      shutdown: options.shutdown,
      slots: new StreamSlots({ total: maxChangeStreams, perClient: maxChangeStreamsPerClient }),
    });
  }
  registerOfrepRoutes(app, deps);
  registerOpsRoutes(app, deps);
  if (deps.auth) registerAuthRoutes(app, deps.auth, deps.bodyLimit);
  if (deps.auth) registerLoginRoutes(app, deps.auth);
  if (deps.auth?.kubernetes) registerKubernetesRoutes(app, deps.auth.kubernetes, deps.bodyLimit);
  if (deps.auth?.history) registerHistoryRoutes(app, deps.auth.history);
  if (config.ui.enabled) registerUiRoutes(app);

  app.notFound(notFoundHandler(app));
  app.onError((error, c) => {
    const e = classifyError(error);
    if (!e.expected) {
      logger.error({ err: error, method: c.req.method, path: c.req.path }, 'request failed');
      metrics.serverError();
    }
    return fliptError(c, e.httpStatus, e.grpcCode, e.message);
  });

  return app;
}
