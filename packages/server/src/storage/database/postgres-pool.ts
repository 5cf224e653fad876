import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../../observability/logger.ts';

/**
 * Makes a `pg` pool survive its database going away. `pg` emits 'error' on a client whose
 * connection breaks; the pool listens only while the client is idle, so a reset during a query
 * (or a failover) would otherwise be an unhandled 'error' event that ends the process.
 *
 * It also drops clients that come back stuck: after `query_timeout` a query's caller gets an
 * error, but the client still waits for the answer and would queue every later query behind it
 * (a database that stopped answering would wedge the pool for good).
 */
export function guardPostgresPool(pool: Pool, logger: Logger): void {
  const warn = (error: Error) => logger.warn({ err: error }, 'database connection failed');
  pool.on('error', warn);
  pool.on('connect', (client) => {
    client.on('error', warn);
  });
  pool.on('release', (error: Error | undefined, client: PoolClient) => {
    if (error || isBusy(client)) destroySocket(client);
  });
}

interface ClientInternals {
  _activeQuery?: unknown;
  connection?: { stream?: { destroy(): void } };
}

function isBusy(client: PoolClient): boolean {
  return Boolean((client as unknown as ClientInternals)._activeQuery);
}

/** `end()` would politely wait for a server that may never answer. */
function destroySocket(client: PoolClient): void {
  (client as unknown as ClientInternals).connection?.stream?.destroy();
}
