import type { MysqlPool, MysqlPoolConnection } from 'kysely';
import type { Pool, PoolConnection } from 'mysql2';
import type { Logger } from '../../observability/logger.ts';
import type { Limits } from './connect.ts';

type Callback = (error: unknown, result?: unknown) => void;

/**
 * The mysql2 pool as Kysely sees it, with every wait bounded: getting a connection gives up after
 * the connect timeout, and a statement that has not answered within the query timeout destroys
 * its connection (mysql2's own per-query timeout leaves the connection waiting for the answer).
 */
export function guardedMysqlPool(pool: Pool, limits: Limits, logger: Logger): MysqlPool {
  pool.on('connection', (connection) => {
    // PoolConnection listens for the first 'error' only; a second one would end the process.
    connection.on('error', (error) => logger.warn({ err: error }, 'database connection failed'));
  });
  return {
    getConnection(callback: (error: unknown, connection?: MysqlPoolConnection) => void) {
      let settled = false;
      const timer = setTimeout(() => {
        settled = true;
        callback(timeoutError('timeout exceeded when trying to connect', limits.connectTimeoutMs));
      }, limits.connectTimeoutMs);
      pool.getConnection((error, connection) => {
        if (settled) {
          connection?.release();
          return;
        }
        settled = true;
        clearTimeout(timer);
        if (error) callback(error);
        else callback(null, guarded(connection, limits.queryTimeoutMs));
      });
    },
    end(callback: (error: unknown) => void) {
      pool.end(callback);
    },
  } as unknown as MysqlPool;
}

function guarded(connection: PoolConnection, timeoutMs: number): MysqlPoolConnection {
  // Kysely only streams for `.stream()` queries, which the store never runs.
  const guardedConnection = {
    query(sql: string, parameters: readonly unknown[], callback: Callback) {
      let done = false;
      const timer = setTimeout(() => {
        done = true;
        connection.destroy();
        callback(timeoutError('query timed out', timeoutMs));
      }, timeoutMs);
      connection.query(sql, parameters as unknown[], (error: unknown, result: unknown) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        callback(error, result);
      });
    },
    release() {
      connection.release();
    },
  };
  return guardedConnection as unknown as MysqlPoolConnection;
}

function timeoutError(what: string, ms: number): Error {
  return Object.assign(new Error(`${what} (${ms} ms)`), { code: 'ETIMEDOUT' });
}
