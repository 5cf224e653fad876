import { Hono } from 'hono';
import { classifyError } from '../errors/mapping.ts';
import type { HttpDeps } from './deps.ts';
import { type CreateAppOptions, createHttpDeps } from './http-deps.ts';
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

export { type CreateAppOptions, createHttpDeps } from './http-deps.ts';

// Flipt v1's HTTP API as a Hono app (docs/http-api.md). Routes are thin: decode, call a
// service, write JSON. Errors from anywhere end in one mapping (errors/mapping.ts).

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
