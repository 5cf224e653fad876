import { gitSettingsOf } from '../../config/storage/git.ts';
import type { StorageBackend } from '../registry.ts';

export const gitBackend: StorageBackend = {
  type: 'git',
  async create(config, logger, { watch }) {
    const { createGitSource } = await import('./git-source.ts');
    return createGitSource(gitSettingsOf(config), logger, { watch });
  },
};
