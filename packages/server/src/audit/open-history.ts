import type { Config } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import { connect, MIGRATION_QUERY_TIMEOUT_MS } from '../storage/database/connect.ts';
import { migrate } from '../storage/database/migrate.ts';
import { createHistoryStore, type HistoryStore } from './history-store.ts';

/** The history store when `audit.sinks.database.enabled`: the configured database, migrated. */
export async function openHistoryStore(config: Config, logger: Logger): Promise<HistoryStore | undefined> {
  if (!config.audit.sinks.database.enabled) return undefined;
  const { url, authToken, connectTimeoutMs, queryTimeoutMs } = config.db;
  const connection = connect({ url, authToken, connectTimeoutMs, queryTimeoutMs }, logger);
  // On a server engine, migrating may wait for another replica's migration lock, longer than a
  // statement may run: that wait gets a connection of its own. (SQLite has no such wait, and an
  // in-memory database would not survive a second connection.)
  const migration =
    connection.engine === 'sqlite'
      ? connection
      : connect({ url, authToken, queryTimeoutMs: MIGRATION_QUERY_TIMEOUT_MS }, logger);
  try {
    await migrate(migration);
  } catch (error) {
    await connection.db.destroy();
    throw error;
  } finally {
    if (migration !== connection) await migration.db.destroy();
  }
  return createHistoryStore(connection);
}
