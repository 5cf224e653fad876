import type { AddressInfo } from 'node:net';
import { connectNodeAdapter } from '@connectrpc/connect-node';
import type { Auth } from '../auth/index.ts';
import { DEFAULT_SERVER_LIMITS } from '../config/defaults.ts';
import type { ServerLimits } from '../config/types.ts';
import { logGrpcStream, logHttpRequests } from '../observability/access-log.ts';
import type { Logger } from '../observability/logger.ts';
import type { EvaluationMetrics } from '../observability/metrics.ts';
import { type Tracing, traceGrpcStream, traceHttpRequests } from '../observability/tracing.ts';
import { servicesAtReference } from '../service/at-reference.ts';
import { createServices, type ManagementStore, type Services } from '../service/index.ts';
import type { SnapshotSource } from '../storage/contract.ts';
import type { TlsMaterial } from '../tls-material.ts';
import { authInterceptor } from './auth-interceptor.ts';
import { connectParseFailuresAreClientErrors } from './connect-parse-errors.ts';
import { errorInterceptor, type GrpcErrorLogger } from './errors.ts';
import { unknownMethod } from './fallback.ts';
import { createDualServer } from './listener.ts';
import { registerRoutes, servedServices } from './routes.ts';
import { specEncodeStatusMessage } from './status-message.ts';
import { unaryFastPath } from './unary-fast-path.ts';

// Flipt's gRPC API on server.grpc_port, served by ConnectRPC: gRPC and gRPC-Web over HTTP/2
// (h2c, plaintext, like Flipt's default), plus gRPC-Web and Connect over HTTP/1.1 on the same
// port. Handlers call the same transport-independent services as the REST API. Plain unary gRPC
// calls take a direct path (unary-fast-path.ts) to the same handlers; the rest goes via Connect.

export interface GrpcServerOptions {
  /** Interface to bind (config `server.host`). */
  host: string;
  /** Config `server.grpc_port`; 0 binds any free port. */
  port: number;
  source: SnapshotSource;
  logger: GrpcErrorLogger;
  /**
   * The services the REST app uses, so both transports share one metrics registry and store.
   * Built from `source` (with `metrics`, or none) when absent.
   */
  services?: Services;
  /** Pass the REST app's registry so evaluations over both transports count together. */
  metrics?: EvaluationMetrics;
  /** A writable store (database backends); read-only sources always reject writes. */
  management?: ManagementStore;
  /** Authentication: every call passes its gate; services are guarded; flipt.auth is served. */
  auth?: Auth;
  /** Serve TLS (ALPN h2 and http/1.1) with this certificate and key (`server.protocol: https`). */
  tls?: TlsMaterial;
  /** Largest accepted message (default 4 MiB, gRPC's usual limit). */
  readMaxBytes?: number;
  /** Where the access log goes (config `log.access`); none when absent. */
  accessLog?: Logger;
  /** Traces every call (tracing.enabled). */
  tracing?: Tracing;
  /**
   * Answer plain unary gRPC calls on the raw HTTP/2 stream (default true). With false every call
   * goes through Connect; the test suite runs both ways to show they answer alike.
   */
  unaryFastPath?: boolean;
  /** Connection, stream and timeout bounds (config `server.limits`; defaults when absent). */
  limits?: ServerLimits;
}

export interface RunningGrpcServer {
  /** The bound port. */
  readonly port: number;
  /**
   * Stops accepting, lets calls in flight finish (clients get GOAWAY and move on), and cuts what
   * is left after `graceMs` (default 5 s). Idempotent.
   */
  close(graceMs?: number): Promise<void>;
}

const NO_METRICS: EvaluationMetrics = { evaluated() {}, evaluationFailed() {} };

export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
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
  const compat: typeof handler = (req, res) => {
    specEncodeStatusMessage(res);
    connectParseFailuresAreClientErrors(req, res);
    handler(req, res);
  };
  const direct = options.unaryFastPath === false ? () => false : fastPath.handle;
  const access = options.accessLog;
  const tracing = options.tracing;
  const limits = options.limits ?? DEFAULT_SERVER_LIMITS;
  // HTTP/2 streams are logged and traced once at the stream, whichever path answers them;
  // HTTP/1.1 requests (gRPC-Web, Connect) at the request. Nothing is wrapped when both are off.
  let http1 = compat;
  if (tracing) http1 = traceHttpRequests(http1, tracing);
  if (access) http1 = logHttpRequests(http1, access, 'grpc');
  const dual =
    access || tracing
      ? createDualServer(
          http1,
          (stream, headers) => {
            if (tracing) traceGrpcStream(stream, headers, tracing);
            if (access) logGrpcStream(stream, headers, access);
            return direct(stream, headers);
          },
          limits,
          options.tls,
        )
      : createDualServer(compat, direct, limits, options.tls);
  const { server } = dual;
  await new Promise<void>((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the address is already in use' : error.message;
      reject(
        new Error(
          `cannot listen on ${options.host}:${options.port} (server.host, server.grpc_port): ${reason}`,
        ),
      );
    };
    server.once('error', onError);
    server.listen(options.port, options.host, () => {
      server.off('error', onError);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    close: (graceMs = 5_000) => dual.drain(graceMs),
  };
}
