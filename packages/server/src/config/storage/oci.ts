import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config-error.ts';
import { choice, duration, string } from '../kinds.ts';
import type { Setting } from '../setting.ts';
import type { Config } from '../types.ts';
import { backendKeys } from './backend-keys.ts';
/** Flipt's `storage.oci.manifest_version`: OCI image manifest 1.0, or 1.1 with `artifactType`. */
export type ManifestVersion = '1.0' | '1.1';

import { parseBundleReference } from './bundle-reference.ts';

/** `storage.oci.*` (flipt-v1.md §5.6). */
export interface OciSettings {
  repository: string;
  bundlesDirectory: string;
  authentication: { type: 'static' | 'aws-ecr'; username: string; password: string };
  pollIntervalMs: number;
  manifestVersion: ManifestVersion;
}

/** Flipt's default: `<user config dir>/flipt/bundles`, shared with its CLI. */
export function defaultBundlesDirectory(env: NodeJS.ProcessEnv = process.env): string {
  const configHome = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(configHome, 'flipt', 'bundles');
}

const { settingsOf, key, defaults } = backendKeys<OciSettings>('oci', () => ({
  repository: '',
  bundlesDirectory: defaultBundlesDirectory(),
  authentication: { type: 'static', username: '', password: '' },
  pollIntervalMs: 30_000,
  manifestVersion: '1.1',
}));

export const ociSettingsOf = settingsOf;
export const defaultOciSettings = defaults;

export const OCI_SETTINGS: readonly Setting[] = [
  key(
    'repository',
    string,
    '',
    'bundle: [http(s)://]registry/repository[:tag], or flipt://local/name[:tag]',
    (s, v) => {
      s.repository = v.trim();
    },
  ),
  key(
    'bundles_directory',
    string,
    undefined,
    'local bundle store',
    (s, v) => {
      if (v.trim() !== '') s.bundlesDirectory = v.trim();
    },
    { defaultNote: '<user config dir>/flipt/bundles' },
  ),
  key('authentication.type', choice(['static', 'aws-ecr']), 'static', 'registry auth kind', (s, v) => {
    s.authentication.type = v;
  }),
  key('authentication.username', string, '', 'registry user', (s, v) => {
    s.authentication.username = v;
  }),
  key(
    'authentication.password',
    string,
    '',
    'registry password',
    (s, v) => {
      s.authentication.password = v;
    },
    { secret: true },
  ),
  key('poll_interval', duration(), 30_000, 'OCI poll period', (s, v) => {
    s.pollIntervalMs = v;
  }),
  key('manifest_version', choice(['1.0', '1.1']), '1.1', 'OCI manifest version', (s, v) => {
    s.manifestVersion = v;
  }),
];

export function validateOciSettings(config: Config): void {
  const s = ociSettingsOf(config);
  if (s.repository === '') {
    throw new ConfigError(
      'storage.oci.repository is required with storage.type "oci"',
      'storage.oci.repository',
    );
  }
  let ref: ReturnType<typeof parseBundleReference>;
  try {
    ref = parseBundleReference(s.repository);
  } catch (error) {
    throw new ConfigError((error as Error).message, 'storage.oci.repository');
  }
  if (s.authentication.type === 'aws-ecr' && ref.kind === 'remote' && ref.registry === 'public.ecr.aws') {
    throw new ConfigError(
      'storage.oci.authentication.type "aws-ecr" does not support public.ecr.aws (Public ECR has its own token API)',
      'storage.oci.authentication.type',
    );
  }
  if (s.authentication.type === 'aws-ecr' && s.authentication.password !== '') {
    throw new ConfigError(
      'storage.oci.authentication.type "aws-ecr" takes its token from ECR: leave username and password empty',
      'storage.oci.authentication.password',
    );
  }
}
