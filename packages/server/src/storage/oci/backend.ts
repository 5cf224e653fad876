import type { StorageBackend } from '../registry.ts';
import { OCI_SETTINGS, ociSettingsOf, validateOciSettings } from './settings.ts';

export const ociBackend: StorageBackend = {
  type: 'oci',
  settings: OCI_SETTINGS,
  validate: validateOciSettings,
  async create(config, logger, { watch }) {
    const { createOciSource } = await import('./oci-source.ts');
    return createOciSource(ociSettingsOf(config), logger, { watch });
  },
};
