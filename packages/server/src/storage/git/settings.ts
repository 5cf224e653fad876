import { ConfigError } from '../../config/config-error.ts';
import type { Setting } from '../../config/settings.ts';
import type { Config } from '../../config/types.ts';
import { parseBoolean, parseChoice, parseDurationMs, parseString } from '../../config/values.ts';

/** `storage.git.*` (flipt-v1.md §5.6), as Ensign reads them. */
export interface GitSettings {
  repository: string;
  /** A branch or commit (`static`), or a semver constraint over tags (`semver`). */
  ref: string;
  refType: 'static' | 'semver';
  /** Sub-directory of the repository holding the feature files ('' = root). */
  directory: string;
  pollIntervalMs: number;
  basic?: { username: string; password: string };
  token?: { accessToken: string };
  /** Set when any `authentication.ssh.*` key is present: refused, with a reason. */
  ssh: boolean;
  caCertPath: string;
  caCertBytes: string;
  insecureSkipTls: boolean;
  /** Where the clone lives: a temporary directory (`memory`, Flipt's default) or `path`. */
  backend: { type: 'memory' | 'local'; path: string };
}

function defaults(): GitSettings {
  return {
    repository: '',
    ref: 'main',
    refType: 'static',
    directory: '',
    pollIntervalMs: 30_000,
    ssh: false,
    caCertPath: '',
    caCertBytes: '',
    insecureSkipTls: false,
    backend: { type: 'memory', path: '' },
  };
}

export function gitSettingsOf(config: Config): GitSettings {
  return (config.storage.backends?.['git'] as GitSettings | undefined) ?? defaults();
}

function git(key: string, apply: (s: GitSettings, raw: unknown, key: string) => void): Setting {
  const full = `storage.git.${key}`;
  return {
    key: full,
    apply(config, raw) {
      const settings = gitSettingsOf(config);
      config.storage.backends = { ...config.storage.backends, git: settings };
      apply(settings, raw, full);
    },
  };
}

const SSH_KEYS = ['user', 'password', 'private_key_path', 'private_key_bytes', 'insecure_ignore_host_key'];

export const GIT_SETTINGS: readonly Setting[] = [
  git('repository', (s, raw, key) => {
    s.repository = parseString(key, raw).trim();
  }),
  git('ref', (s, raw, key) => {
    s.ref = parseString(key, raw).trim();
  }),
  git('ref_type', (s, raw, key) => {
    s.refType = parseChoice(key, raw, ['static', 'semver']);
  }),
  git('directory', (s, raw, key) => {
    s.directory = parseString(key, raw)
      .trim()
      .replace(/^\/+|\/+$/g, '');
  }),
  git('poll_interval', (s, raw, key) => {
    s.pollIntervalMs = parseDurationMs(key, raw);
  }),
  git('authentication.basic.username', (s, raw, key) => {
    s.basic = { username: parseString(key, raw), password: s.basic?.password ?? '' };
  }),
  git('authentication.basic.password', (s, raw, key) => {
    s.basic = { username: s.basic?.username ?? '', password: parseString(key, raw) };
  }),
  git('authentication.token.access_token', (s, raw, key) => {
    s.token = { accessToken: parseString(key, raw) };
  }),
  ...SSH_KEYS.map((name) =>
    git(`authentication.ssh.${name}`, (s) => {
      s.ssh = true;
    }),
  ),
  git('ca_cert_path', (s, raw, key) => {
    s.caCertPath = parseString(key, raw).trim();
  }),
  git('ca_cert_bytes', (s, raw, key) => {
    s.caCertBytes = parseString(key, raw);
  }),
  git('insecure_skip_tls', (s, raw, key) => {
    s.insecureSkipTls = parseBoolean(key, raw);
  }),
  git('backend.type', (s, raw, key) => {
    s.backend.type = parseChoice(key, raw, ['memory', 'local']);
  }),
  git('backend.path', (s, raw, key) => {
    s.backend.path = parseString(key, raw).trim();
  }),
];

export function validateGitSettings(config: Config): void {
  const s = gitSettingsOf(config);
  if (s.repository === '') {
    throw new ConfigError(
      'storage.git.repository is required with storage.type "git"',
      'storage.git.repository',
    );
  }
  if (s.ssh || /^(ssh:\/\/|git@|[\w.-]+@[\w.-]+:)/.test(s.repository)) {
    throw new ConfigError(
      'git over ssh is not supported: use an http(s) repository URL with storage.git.authentication.basic or .token',
      s.ssh ? 'storage.git.authentication.ssh' : 'storage.git.repository',
    );
  }
  if (!/^https?:\/\//.test(s.repository)) {
    throw new ConfigError(
      `storage.git.repository must be an http:// or https:// URL (got ${JSON.stringify(s.repository)})`,
      'storage.git.repository',
    );
  }
  if (s.basic && s.token) {
    throw new ConfigError(
      'storage.git.authentication takes one of basic or token, not both',
      'storage.git.authentication',
    );
  }
  if (s.basic && (s.basic.username === '' || s.basic.password === '')) {
    throw new ConfigError(
      'storage.git.authentication.basic needs both username and password',
      'storage.git.authentication.basic',
    );
  }
  if (s.ref === '') throw new ConfigError('storage.git.ref must not be empty', 'storage.git.ref');
  if (s.caCertPath !== '' && s.caCertBytes !== '') {
    throw new ConfigError(
      'set storage.git.ca_cert_path or ca_cert_bytes, not both',
      'storage.git.ca_cert_path',
    );
  }
}
