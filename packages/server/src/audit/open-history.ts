import type { Config } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import { openMigrated } from '../storage/database/open-migrated.ts';
import { createHistoryStore, type HistoryStore } from './history-store.ts';

/** The history store when `audit.sinks.database.enabled`: the configured database, migrated. */
export async function openHistoryStore(config: Config, logger: Logger): Promise<HistoryStore | undefined> {
  if (!config.audit.sinks.database.enabled) return undefined;
  return createHistoryStore(await openMigrated(config.db, logger));
}
