import { ConfigError } from '../../config/config-error.ts';
import type { StorageBackend } from '../registry.ts';
import { parseDatabaseUrl } from './url.ts';

export const databaseBackend: StorageBackend = {
  type: 'database',
  validate(config) {
    try {
      parseDatabaseUrl(config.db.url);
    } catch (error) {
      throw new ConfigError(error instanceof Error ? error.message : String(error), 'db.url');
    }
  },
  async create(config, logger, { watch }) {
    // Database drivers cost a few hundred ms to load: only when configured.
    const { createDatabaseSource } = await import('./index.ts');
    const { url, authToken, pollIntervalMs } = config.db;
    return createDatabaseSource({ url, ...(authToken ? { authToken } : {}), pollIntervalMs, watch }, logger);
  },
};
