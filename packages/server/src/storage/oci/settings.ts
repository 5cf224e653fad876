import { homedir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../../config/config-error.ts';
import type { Setting } from '../../config/settings.ts';
import type { Config } from '../../config/types.ts';
import { parseChoice, parseDurationMs, parseString } from '../../config/values.ts';
import type { ManifestVersion } from './bundle.ts';
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

function defaults(): OciSettings {
  return {
    repository: '',
    bundlesDirectory: defaultBundlesDirectory(),
    authentication: { type: 'static', username: '', password: '' },
    pollIntervalMs: 30_000,
    manifestVersion: '1.1',
  };
}

export function ociSettingsOf(config: Config): OciSettings {
  return (config.storage.backends?.['oci'] as OciSettings | undefined) ?? defaults();
}

function oci(key: string, apply: (s: OciSettings, raw: unknown, key: string) => void): Setting {
  const full = `storage.oci.${key}`;
  return {
    key: full,
    apply(config, raw) {
      const settings = ociSettingsOf(config);
      config.storage.backends = { ...config.storage.backends, oci: settings };
      apply(settings, raw, full);
    },
  };
}

export const OCI_SETTINGS: readonly Setting[] = [
  oci('repository', (s, raw, key) => {
    s.repository = parseString(key, raw).trim();
  }),
  oci('bundles_directory', (s, raw, key) => {
    s.bundlesDirectory = parseString(key, raw).trim();
  }),
  oci('authentication.type', (s, raw, key) => {
    s.authentication.type = parseChoice(key, raw, ['static', 'aws-ecr']);
  }),
  oci('authentication.username', (s, raw, key) => {
    s.authentication.username = parseString(key, raw);
  }),
  oci('authentication.password', (s, raw, key) => {
    s.authentication.password = parseString(key, raw);
  }),
  oci('poll_interval', (s, raw, key) => {
    s.pollIntervalMs = parseDurationMs(key, raw);
  }),
  oci('manifest_version', (s, raw, key) => {
    s.manifestVersion = parseChoice(key, typeof raw === 'number' ? raw.toFixed(1) : raw, ['1.0', '1.1']);
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
  try {
    parseBundleReference(s.repository);
  } catch (error) {
    throw new ConfigError((error as Error).message, 'storage.oci.repository');
  }
  if (s.authentication.type === 'aws-ecr') {
    throw new ConfigError(
      'storage.oci.authentication.type "aws-ecr" is not supported: use "static" with a username and password',
      'storage.oci.authentication.type',
    );
  }
}
