import type { Logger } from '../../observability/logger.ts';
import { type Connection, connect, MIGRATION_QUERY_TIMEOUT_MS } from './connect.ts';
import { migrate } from './migrate.ts';

export interface DatabaseSettings {
  url: string;
  authToken?: string | undefined;
  connectTimeoutMs?: number | undefined;
  queryTimeoutMs?: number | undefined;
}

/**
 * A connection to the configured database with the schema brought up to date, for the stores
 * that sit beside the flags (tokens, audit history). On a server engine, migrating may wait for
 * another replica's migration lock longer than a statement may run, so that wait gets a
 * connection of its own. (SQLite has no such wait, and an in-memory database would not survive a
 * second connection.)
 */
export async function openMigrated(settings: DatabaseSettings, logger: Logger): Promise<Connection> {
  const connection = connect(settings, logger);
  const migration =
    connection.engine === 'sqlite'
      ? connection
      : connect(
          { url: settings.url, authToken: settings.authToken, queryTimeoutMs: MIGRATION_QUERY_TIMEOUT_MS },
          logger,
        );
  try {
    await migrate(migration);
  } catch (error) {
    await connection.db.destroy();
    throw error;
  } finally {
    if (migration !== connection) await migration.db.destroy();
  }
  return connection;
}
