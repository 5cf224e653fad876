import { ociSettingsOf } from '../../config/storage/oci.ts';
import type { StorageBackend } from '../registry.ts';

export const ociBackend: StorageBackend = {
  type: 'oci',
  async create(config, logger, { watch }) {
    const { createOciSource } = await import('./oci-source.ts');
    return createOciSource(ociSettingsOf(config), logger, { watch });
  },
};
