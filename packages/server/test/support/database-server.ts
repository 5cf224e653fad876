import { resolveConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type RunningServer, startServer } from '../../src/run.ts';

/**
 * A whole Ensign server on loopback with ephemeral ports, storing flags in the database `dbUrl`
 * names; `extra` adds top-level config sections (audit, authentication...). Callers close it.
 */
export function startDatabaseServer(
  dbUrl: string,
  cwd: string,
  extra: Record<string, unknown> = {},
): Promise<RunningServer> {
  const document = {
    log: { level: 'error' },
    server: { host: '127.0.0.1', http_port: 0, grpc_port: 0 },
    storage: { type: 'database' },
    db: { url: dbUrl },
    ...extra,
  };
  return startServer(resolveConfig(document, { env: {}, cwd }).config, {
    logger: silentLogger(),
    shutdownGracePeriodMs: 500,
  });
}
