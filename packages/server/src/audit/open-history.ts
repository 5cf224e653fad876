import type { Config } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import { connect } from '../storage/database/connect.ts';
import { migrate } from '../storage/database/migrate.ts';
import { createHistoryStore, type HistoryStore } from './history-store.ts';

/** The history store when `audit.sinks.database.enabled`: the configured database, migrated. */
export async function openHistoryStore(config: Config, logger: Logger): Promise<HistoryStore | undefined> {
  if (!config.audit.sinks.database.enabled) return undefined;
  const connection = connect({ url: config.db.url, authToken: config.db.authToken }, logger);
  try {
    await migrate(connection);
  } catch (error) {
    await connection.db.destroy();
    throw error;
  }
  return createHistoryStore(connection);
}
