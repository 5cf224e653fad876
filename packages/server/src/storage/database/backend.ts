import type { StorageBackend } from '../registry.ts';

// db.* keys and the URL check live in the config layer (config/database-url.ts).
export const databaseBackend: StorageBackend = {
  type: 'database',
  async create(config, logger, { watch }) {
    // Database drivers cost a few hundred ms to load: only when configured.
    const { createDatabaseSource, databaseSourceOptionsFrom } = await import('./index.ts');
    return createDatabaseSource(databaseSourceOptionsFrom(config, watch), logger);
  },
};
