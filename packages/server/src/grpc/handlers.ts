import type { ServerHttp2Stream } from 'node:http2';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { EvaluationMetrics } from '../observability/metrics.ts';
import { servicesAtReference } from '../service/at-reference.ts';
import { createServices, type Services } from '../service/index.ts';
import { authInterceptor } from './auth-interceptor.ts';
import { connectParseFailuresAreClientErrors } from './connect-parse-errors.ts';
import { errorInterceptor } from './errors.ts';
import { unknownMethod } from './fallback.ts';
import type { CompatHandler, StreamHandler } from './listener.ts';
import type { GrpcServerOptions } from './options.ts';
import { registerRoutes, servedServices } from './routes.ts';
import { specEncodeStatusMessage } from './status-message.ts';
import { unaryFastPath } from './unary-fast-path.ts';

// Everything that answers gRPC calls: Connect, the generated descriptors, the direct unary path.
// Loading this is most of the gRPC listener's start-up cost, so server.ts imports it on the
// first connection instead of before the server reports healthy.

export interface GrpcHandlers {
  /** Connect's handler, for HTTP/1.1 requests and the HTTP/2 streams `direct` declines. */
  readonly compat: CompatHandler;
  /** Plain unary gRPC calls on the raw HTTP/2 stream; false passes the stream to `compat`. */
  readonly direct: StreamHandler;
}

const NO_METRICS: EvaluationMetrics = { evaluated() {}, evaluationFailed() {} };

export function createGrpcHandlers(options: GrpcServerOptions): GrpcHandlers {
  const { auth } = options;
  const deps = {
    source: options.source,
    metrics: options.metrics ?? NO_METRICS,
    ...(options.management ? { management: options.management } : {}),
  };
  const plain = options.services ?? createServices(deps);
  const guard = (unguarded: Services) => (auth ? auth.guard(unguarded) : unguarded);
  const services = guard(plain);
  const at = servicesAtReference(deps, plain, guard);
  const served = servedServices(services, at, auth, () => options.source.status().state !== 'starting');
  const readMaxBytes = options.readMaxBytes ?? 4 * 1024 * 1024;
  const fastPath = unaryFastPath(served, {
    logger: options.logger,
    readMaxBytes,
    ...(auth ? { auth } : {}),
  });
  const handler = connectNodeAdapter({
    routes: (router) => registerRoutes(router, served),
    // Errors outermost, so the gate's refusals are mapped like any handler's.
    interceptors: auth
      ? [errorInterceptor(options.logger), authInterceptor(auth)]
      : [errorInterceptor(options.logger)],
    fallback: unknownMethod,
    readMaxBytes,
    // Strict Connect/gRPC-Web JSON: an unknown enum name must be a 400, as over REST, not silently
    // the default value (which is what ignoring unknown fields also does to enum names).
    jsonOptions: { ignoreUnknownFields: false },
    grpc: true,
    grpcWeb: true,
    connect: true,
  });
  // Connect's handler accepts both request flavours (it says so in its type).
  const connect = handler as unknown as CompatHandler;
  const compat: CompatHandler = (req, res) => {
    specEncodeStatusMessage(res);
    connectParseFailuresAreClientErrors(req, res);
    connect(req, res);
  };
  const declines = (_stream: ServerHttp2Stream) => false;
  return { compat, direct: options.unaryFastPath === false ? declines : fastPath.handle };
}
