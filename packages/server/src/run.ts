import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError } from './config/config-error.ts';
import type { Config } from './config/types.ts';
import type { RunningGrpcServer } from './grpc/index.ts';
import { accessLogger, logHttpRequests } from './observability/access-log.ts';
import { createLogger, type Logger } from './observability/logger.ts';
import type { SnapshotSource } from './storage/contract.ts';

export interface StartServerOptions {
  logger?: Logger;
  /**
   * Serve this source instead of building one from `config.storage`. The caller owns it: it
   * must already be started, and `close()` leaves it open.
   */
  source?: SnapshotSource;
  /** How long `close()` waits for in-flight requests before cutting connections (default 10 s). */
  shutdownTimeoutMs?: number;
}

export interface RunningServer {
  /** Where clients can reach the server, with the bound port (`http://127.0.0.1:43121`). */
  url: string;
  port: number;
  /** The gRPC (and gRPC-Web, Connect) listener's bound port. */
  grpcPort: number;
  source: SnapshotSource;
  /** Stops accepting, lets in-flight requests finish, then closes the source. Idempotent. */
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
  // Each backend is loaded only when configured: database drivers cost a few hundred ms to load.
  if (config.storage.type === 'local') {
    const { createLocalSource } = await import('./storage/local/index.ts');
    return createLocalSource({ ...config.storage.local, watch: options.watch ?? true }, logger);
  }
  if (config.storage.type === 'database') {
    const { createDatabaseSource, databaseSourceOptionsFrom } = await import('./storage/database/index.ts');
    return createDatabaseSource(databaseSourceOptionsFrom(config, options.watch ?? true), logger);
  }
  throw new ConfigError(
    `storage.type "${config.storage.type}" is not supported yet (supported: database, local)`,
    'storage.type',
  );
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
  try {
    // Loaded here, not at the top, so one-shot commands (validate, export) never load the servers.
    const [{ createNodeListener }, { httpServerOptions }, { createMetrics }, { startGrpcServer }] =
      await Promise.all([
        import('./http/node-listener.ts'),
        import('./http/limits.ts'),
        import('./observability/metrics.ts'),
        import('./grpc/index.ts'),
      ]);
    // One registry, so an evaluation counts once whichever transport served it.
    const metrics = createMetrics(source);
    // The write path, unless the source has none or storage.read_only closes it.
    const management = config.storage.readOnly ? undefined : source.store;
    const listener = createNodeListener({ source, config, logger, metrics, management });
    // The access log wraps the listeners only when asked for: off, it costs nothing.
    const accessLog = config.log.access ? accessLogger(logger) : undefined;
    // Load balancers' health probes (haproxy's `option httpchk`) speak HTTP/1.0 without a Host
    // header, which Node refuses by default.
    server = createServer(
      { ...httpServerOptions(config.server.limits), requireHostHeader: false },
      accessLog ? logHttpRequests(listener, accessLog, 'http') : listener,
    );
    server.maxConnections = config.server.limits.maxConnections;
    await listen(server, config.server.httpPort, config.server.host);
    grpc = await startGrpcServer({
      host: config.server.host,
      port: config.server.grpcPort,
      source,
      logger,
      metrics,
      management,
      limits: config.server.limits,
      ...(accessLog ? { accessLog } : {}),
    });
  } catch (error) {
    if (server?.listening) await stopServer(server, 0);
    if (ownsSource) await source.close();
    throw error;
  }
  const http = server;
  const grpcServer = grpc;
  const { port } = http.address() as AddressInfo;
  const url = `http://${reachableHost(config.server.host)}:${port}`;

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      const timeoutMs = options.shutdownTimeoutMs ?? 10_000;
      await Promise.all([stopServer(http, timeoutMs), grpcServer.close(timeoutMs)]);
      if (ownsSource) await source.close();
    })();
    return closing;
  };
  return { url, port, grpcPort: grpcServer.port, source, close };
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      const reason = error.code === 'EADDRINUSE' ? 'the address is already in use' : error.message;
      reject(new Error(`cannot listen on ${host}:${port} (server.host, server.http_port): ${reason}`));
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

async function stopServer(server: Server, timeoutMs: number): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  server.closeIdleConnections();
  const timer = setTimeout(() => server.closeAllConnections(), timeoutMs);
  timer.unref();
  await closed;
  clearTimeout(timer);
}

/**
 * Closes the server gracefully on SIGINT/SIGTERM, then exits. A second signal exits at once,
 * for the operator who does not want to wait.
 */
export function closeOnSignals(server: RunningServer, logger: Logger): void {
  let stopping = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (stopping) {
      logger.warn({ signal }, 'second signal, exiting now');
      process.exit(1);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
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
