import type { StorageBackend } from '../registry.ts';
import { OBJECT_SETTINGS, objectSettingsOf, validateObjectSettings } from './settings.ts';

export const objectBackend: StorageBackend = {
  type: 'object',
  settings: OBJECT_SETTINGS,
  validate: validateObjectSettings,
  async create(config, logger, { watch }) {
    const { createObjectSource } = await import('./object-source.ts');
    return createObjectSource(objectSettingsOf(config), logger, { watch });
  },
};
