import { createServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { type Auth, createAuth } from './auth/index.ts';
import { ConfigError } from './config/config-error.ts';
import type { Config } from './config/types.ts';
import type { RunningGrpcServer } from './grpc/index.ts';
import type { ConnectionDrain } from './http/drain.ts';
import { createAccessLogger, logHttpRequests } from './observability/access-log.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import { startTracing, type Tracing, traceHttpRequests } from './observability/tracing.ts';
import type { SnapshotSource } from './storage/contract.ts';
import { storageBackend } from './storage/registry.ts';
import { type TlsMaterial, tlsMaterialOf } from './tls-material.ts';

export interface StartServerOptions {
  logger?: Logger;
  /** Where `log.access` lines go (default: their own batched writer on stderr). */
  accessLogger?: Logger;
  /**
   * Serve this source instead of building one from `config.storage`. The caller owns it: it
   * must already be started, and `close()` leaves it open.
   */
  source?: SnapshotSource;
  /**
   * How long `close()` waits for requests in flight before cutting connections
   * (default: config `server.shutdown_grace_period`).
   */
  shutdownGracePeriodMs?: number;
}

export interface RunningServer {
  /** Where clients can reach the server, with the bound port (`http://127.0.0.1:43121`). */
  url: string;
  port: number;
  /** The gRPC (and gRPC-Web, Connect) listener's bound port. */
  grpcPort: number;
  source: SnapshotSource;
  /** How long `close()` lets requests in flight finish. */
  shutdownGracePeriodMs: number;
  /**
   * Graceful stop: stops accepting, ends change streams with a goaway event, answers requests
   * already sent (HTTP keep-alive connections close after their next answer, gRPC clients get
   * GOAWAY), cuts what is left after the grace period, then closes the source (and with it the
   * database pools). Idempotent.
   */
  close(): Promise<void>;
}

/**
 * The snapshot source `config.storage` describes, not yet started. `watch: false` loads once,
 * for one-shot commands such as export.
 */
export async function createSource(
  config: Config,
  logger: Logger,
  options: { watch?: boolean } = {},
): Promise<SnapshotSource> {
  const backend = storageBackend(config.storage.type);
  if (!backend) {
    throw new ConfigError(`storage.type "${config.storage.type}" is not supported yet`, 'storage.type');
  }
  return backend.create(config, logger, { watch: options.watch ?? true });
}

/**
 * Loads the storage, then serves the HTTP API and the gRPC API. Port 0 (`server.http_port`,
 * `server.grpc_port`) binds any free port.
 */
export async function startServer(config: Config, options: StartServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.log);
  const ownsSource = options.source === undefined;
  const source = options.source ?? (await createSource(config, logger));
  if (ownsSource) await source.start();

  let server: Server | undefined;
  let grpc: RunningGrpcServer | undefined;
  let auth: Auth | undefined;
  let tls: TlsMaterial | undefined;
  let connections: ConnectionDrain | undefined;
  let tracing: Tracing | undefined;
  const shutdown = new AbortController();
  try {
    tls = tlsMaterialOf(config.server);
    // Loaded here, not at the top, so one-shot commands (validate, export) never load the servers.
    const [
      { createNodeListener },
      { trackConnections },
      { httpServerOptions },
      { createMetrics },
      { startGrpcServer },
    ] = await Promise.all([
      import('./http/node-listener.ts'),
      import('./http/drain.ts'),
      import('./http/limits.ts'),
      import('./observability/metrics.ts'),
      import('./grpc/index.ts'),
    ]);
    // One registry, so an evaluation counts once whichever transport served it.
    const metrics = createMetrics(source);
    auth = await createAuth(config, logger, metrics.registry);
    // The write path, unless the source has none or storage.read_only closes it.
    const management = config.storage.readOnly ? undefined : source.store;
    const listener = createNodeListener({
      source,
      config,
      logger,
      metrics,
      management,
      shutdown: shutdown.signal,
      ...(auth ? { auth } : {}),
    });
    // The access log wraps the listeners only when asked for: off, it costs nothing.
    const accessLog = config.log.access
      ? (options.accessLogger ?? createAccessLogger(config.log))
      : undefined;
    // Tracing, like the access log, is installed only when configured.
    tracing = await startTracing(config.tracing, logger);
    const traced = tracing ? traceHttpRequests(listener, tracing) : listener;
    // Load balancers' health probes (haproxy's `option httpchk`) speak HTTP/1.0 without a Host
    // header, which Node refuses by default.
    const handler = accessLog ? logHttpRequests(traced, accessLog, 'http') : traced;
    const serverOptions = { ...httpServerOptions(config.server.limits), requireHostHeader: false };
    server = tls
      ? createHttpsServer({ ...tls, ...serverOptions }, handler)
      : createServer(serverOptions, handler);
    server.maxConnections = config.server.limits.maxConnections;
    connections = trackConnections(server);
    await listen(
      server,
      tls ? config.server.httpsPort : config.server.httpPort,
      config.server.host,
      tls ? 'server.https_port' : 'server.http_port',
    );
    grpc = await startGrpcServer({
      ...(tls ? { tls } : {}),
      host: config.server.host,
      port: config.server.grpcPort,
      source,
      logger,
      metrics,
      management,
      limits: config.server.limits,
      ...(accessLog ? { accessLog } : {}),
      ...(auth ? { auth } : {}),
      ...(tracing ? { tracing } : {}),
    });
  } catch (error) {
    await tracing?.shutdown();
    if (server?.listening) await connections?.drain(0);
    await auth?.close();
    if (ownsSource) await source.close();
    throw error;
  }
  const http = connections as ConnectionDrain;
  const grpcServer = grpc;
  const authentication = auth;
  const { port } = server.address() as AddressInfo;
  const url = `${tls ? 'https' : 'http'}://${reachableHost(config.server.host)}:${port}`;

  const graceMs = options.shutdownGracePeriodMs ?? config.server.shutdownGracePeriodMs;
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      shutdown.abort();
      await Promise.all([http.drain(graceMs), grpcServer.close(graceMs)]);
      await authentication?.close();
      // The last spans, those of the requests just drained, go out before the process ends.
      await tracing
        ?.shutdown()
        .catch((error) => logger.warn({ err: error }, 'could not export the last traces'));
      if (ownsSource) await source.close();
    })();
    return closing;
  };
  return { url, port, grpcPort: grpcServer.port, source, shutdownGracePeriodMs: graceMs, close };
}

function listen(server: Server, port: number, host: string, portKey: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the address is already in use' : error.message;
      reject(new Error(`cannot listen on ${host}:${port} (server.host, ${portKey}): ${reason}`));
    };
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** A wildcard bind address is not something a client can connect to; loopback is. */
function reachableHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::' || host === '[::]') return '[::1]';
  return host.includes(':') && !host.startsWith('[') ? `[${host}]` : host;
}

/** What closing the source (database pools) may add to the grace period before we give up. */
const SOURCE_CLOSE_MS = 5_000;

/**
 * Closes the server gracefully on SIGINT/SIGTERM, then exits 0. A second signal exits at once,
 * for the operator who does not want to wait; so does a close that outlives its deadline.
 */
export function closeOnSignals(server: RunningServer, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal, gracePeriodMs: server.shutdownGracePeriodMs }, 'shutting down');
    setTimeout(() => {
      logger.error('shutdown did not finish in time, exiting');
      process.exit(1);
    }, server.shutdownGracePeriodMs + SOURCE_CLOSE_MS).unref();
    server.close().then(
      () => {
        logger.info('stopped');
        process.exit(0);
      },
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
}
