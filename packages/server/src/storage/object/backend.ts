import { objectSettingsOf } from '../../config/storage/object.ts';
import type { StorageBackend } from '../registry.ts';

export const objectBackend: StorageBackend = {
  type: 'object',
  async create(config, logger, { watch }) {
    const { createObjectSource } = await import('./object-source.ts');
    return createObjectSource(objectSettingsOf(config), logger, { watch });
  },
};
