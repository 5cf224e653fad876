import type { StorageBackend } from '../registry.ts';
import { GIT_SETTINGS, gitSettingsOf, validateGitSettings } from './settings.ts';

export const gitBackend: StorageBackend = {
  type: 'git',
  settings: GIT_SETTINGS,
  validate: validateGitSettings,
  async create(config, logger, { watch }) {
    const { createGitSource } = await import('./git-source.ts');
    return createGitSource(gitSettingsOf(config), logger, { watch });
  },
};
