import type { IncomingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import type { AddressInfo } from 'node:net';
import { DEFAULT_SERVER_LIMITS } from '../config/defaults.ts';
import { logGrpcStream, logHttpRequests } from '../observability/access-log.ts';
import { traceGrpcStream, traceHttpRequests } from '../observability/tracing.ts';
import { lazyGrpcHandlers } from './lazy-handlers.ts';
import { createDualServer } from './listener.ts';
import type { GrpcServerOptions } from './options.ts';

export type { GrpcServerOptions } from './options.ts';

// Flipt's gRPC API on server.grpc_port, served by ConnectRPC: gRPC and gRPC-Web over HTTP/2
// (h2c, plaintext, like Flipt's default), plus gRPC-Web and Connect over HTTP/1.1 on the same
// port. Handlers call the same transport-independent services as the REST API. Plain unary gRPC
// calls take a direct path (unary-fast-path.ts) to the same handlers; the rest goes via Connect.
// The port is bound at once; the handlers (handlers.ts) load with the first connection.

export interface RunningGrpcServer {
  /** The bound port. */
  readonly port: number;
  /**
   * Stops accepting, lets calls in flight finish (clients get GOAWAY and move on), and cuts what
   * is left after `graceMs` (default 5 s). Idempotent.
   */
  close(graceMs?: number): Promise<void>;
}

export async function startGrpcServer(options: GrpcServerOptions): Promise<RunningGrpcServer> {
  const handlers = lazyGrpcHandlers(
    () => import('./handlers.ts').then(({ createGrpcHandlers }) => createGrpcHandlers(options)),
    options.logger,
  );
  const access = options.accessLog;
  const tracing = options.tracing;
  const limits = options.limits ?? DEFAULT_SERVER_LIMITS;
  // HTTP/2 streams are logged and traced once at the stream, whichever path answers them;
  // HTTP/1.1 requests (gRPC-Web, Connect) at the request. Nothing is wrapped when both are off.
  let request = handlers.request;
  if (tracing) request = traceHttpRequests(request, tracing);
  if (access) request = logHttpRequests(request, access, 'grpc');
  const stream =
    access || tracing
      ? (stream: ServerHttp2Stream, headers: IncomingHttpHeaders, raw: string[]) => {
          if (tracing) traceGrpcStream(stream, headers, tracing);
          if (access) logGrpcStream(stream, headers, access);
          handlers.stream(stream, headers, raw);
        }
      : handlers.stream;
  const dual = createDualServer({ request, stream }, limits, options.tls);
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
  // Loading starts with the first connection, ahead of its first call.
  server.once('connection', handlers.warm);

  return {
    port,
    close: (graceMs = 5_000) => dual.drain(graceMs),
  };
}
