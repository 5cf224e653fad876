import type { Pool, PoolClient } from 'pg';
import type { Logger } from '../../observability/logger.ts';

/**
 * Makes a `pg` pool survive its database going away. `pg` emits 'error' on a client whose
 * connection breaks; the pool listens only while the client is idle, so a reset during a query
 * (or a failover) would otherwise be an unhandled 'error' event that ends the process.
 *
 * It also drops a client as soon as one of its queries times out (`query_timeout`): pg gives the
 * caller an error but keeps waiting for the answer, so every later query on that client (the
 * transaction's ROLLBACK first) would queue behind it, and a database that stopped answering
 * would wedge the pool for good.
 */
export function guardPostgresPool(pool: Pool, logger: Logger): void {
  const warn = (error: Error) => logger.warn({ err: error }, 'database connection failed');
  pool.on('error', warn);
  pool.on('connect', (client) => {
    client.on('error', warn);
    dropOnQueryTimeout(client);
  });
  pool.on('release', (error: Error | undefined, client: PoolClient) => {
    if (error || isBusy(client)) destroySocket(client);
  });
}

interface ClientInternals {
  _activeQuery?: unknown;
  connection?: { stream?: { destroy(): void } };
}

function dropOnQueryTimeout(client: PoolClient): void {
  const query = client.query as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const result = query.apply(client, args);
    if (result instanceof Promise) {
      result.catch((error: unknown) => {
        if ((error as Error | undefined)?.message === 'Query read timeout') destroySocket(client);
      });
    }
    return result;
  };
}

function isBusy(client: PoolClient): boolean {
  return Boolean((client as unknown as ClientInternals)._activeQuery);
}

/** `end()` would politely wait for a server that may never answer. */
function destroySocket(client: PoolClient): void {
  (client as unknown as ClientInternals).connection?.stream?.destroy();
}
