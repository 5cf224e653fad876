import type { StorageBackend } from '../registry.ts';

export const localBackend: StorageBackend = {
  type: 'local',
  async create(config, logger, { watch }) {
    const { createLocalSource } = await import('./local-source.ts');
    return createLocalSource({ ...config.storage.local, watch }, logger);
  },
};
