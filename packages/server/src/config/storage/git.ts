import { ConfigError } from '../config-error.ts';
import { boolean, choice, duration, string } from '../kinds.ts';
import { type Setting, setting } from '../setting.ts';
import type { Config } from '../types.ts';
import { backendKeys } from './backend-keys.ts';

/** `storage.git.*` (flipt-v1.md §5.6), as Ensign reads them. */
export interface GitSettings {
  repository: string;
  /** A branch or commit (`static`), or a semver constraint over tags (`semver`). */
  ref: string;
  refType: 'static' | 'semver';
  /** Sub-directory of the repository holding the feature files ('' = root). */
  directory: string;
  pollIntervalMs: number;
  basic: { username: string; password: string };
  token: { accessToken: string };
  caCertPath: string;
  caCertBytes: string;
  insecureSkipTls: boolean;
  /** Where the clone lives: a temporary directory (`memory`, Flipt's default) or `path`. */
  backend: { type: 'memory' | 'local'; path: string };
}

const { settingsOf, key, defaults } = backendKeys<GitSettings>('git', () => ({
  repository: '',
  ref: 'main',
  refType: 'static',
  directory: '',
  pollIntervalMs: 30_000,
  basic: { username: '', password: '' },
  token: { accessToken: '' },
  caCertPath: '',
  caCertBytes: '',
  insecureSkipTls: false,
  backend: { type: 'memory', path: '' },
}));

export const gitSettingsOf = settingsOf;
export const defaultGitSettings = defaults;

export const GIT_SETTINGS: readonly Setting[] = [
  key('repository', string, '', 'git repository URL (http or https)', (s, v) => {
    s.repository = v.trim();
  }),
  key('ref', string, 'main', 'branch or commit, or a semver constraint (ref_type semver)', (s, v) => {
    s.ref = v.trim();
  }),
  key('ref_type', choice(['static', 'semver']), 'static', 'static ref or semver constraint', (s, v) => {
    s.refType = v;
  }),
  key('directory', string, '', 'sub-directory holding the feature files', (s, v) => {
    s.directory = v.trim().replace(/^\/+|\/+$/g, '');
  }),
  key('poll_interval', duration(), 30_000, 'fetch period', (s, v) => {
    s.pollIntervalMs = v;
  }),
  key('backend.type', choice(['memory', 'local']), 'memory', 'where the clone lives', (s, v) => {
    s.backend.type = v;
  }),
  key('backend.path', string, '', 'clone directory (backend local)', (s, v) => {
    s.backend.path = v.trim();
  }),
  key('ca_cert_path', string, '', 'CA certificate file', (s, v) => {
    s.caCertPath = v.trim();
  }),
  key('ca_cert_bytes', string, '', 'CA certificate', (s, v) => {
    s.caCertBytes = v;
  }),
  key('insecure_skip_tls', boolean, false, 'skip TLS checks', (s, v) => {
    s.insecureSkipTls = v;
  }),
  key('authentication.basic.username', string, '', 'basic auth user', (s, v) => {
    s.basic.username = v;
  }),
  key(
    'authentication.basic.password',
    string,
    '',
    'basic auth password',
    (s, v) => {
      s.basic.password = v;
    },
    { secret: true },
  ),
  key(
    'authentication.token.access_token',
    string,
    '',
    'access token (sent as a bearer token)',
    (s, v) => {
      s.token.accessToken = v;
    },
    { secret: true },
  ),
  // ssh is not implemented: these keys have no `apply`, so any value but the default stops the
  // server with a message naming the key.
  setting('storage.git.authentication.ssh.user', string, 'git', 'ssh user'),
  setting('storage.git.authentication.ssh.password', string, '', 'ssh key passphrase', { secret: true }),
  setting('storage.git.authentication.ssh.private_key_path', string, '', 'ssh private key file'),
  setting('storage.git.authentication.ssh.private_key_bytes', string, '', 'ssh private key', {
    secret: true,
  }),
  setting('storage.git.authentication.ssh.insecure_ignore_host_key', boolean, false, 'skip host key check'),
];

export function validateGitSettings(config: Config): void {
  const s = gitSettingsOf(config);
  if (s.repository === '') {
    throw new ConfigError(
      'storage.git.repository is required with storage.type "git"',
      'storage.git.repository',
    );
  }
  if (/^(ssh:\/\/|git@|[\w.-]+@[\w.-]+:)/.test(s.repository)) {
    throw new ConfigError(
      'git over ssh is not supported: use an http(s) repository URL with storage.git.authentication.basic or .token',
      'storage.git.repository',
    );
  }
  if (!/^https?:\/\//.test(s.repository)) {
    throw new ConfigError(
      `storage.git.repository must be an http:// or https:// URL (got ${JSON.stringify(s.repository)})`,
      'storage.git.repository',
    );
  }
  const basic = s.basic.username !== '' || s.basic.password !== '';
  if (basic && s.token.accessToken !== '') {
    throw new ConfigError(
      'storage.git.authentication takes one of basic or token, not both',
      'storage.git.authentication',
    );
  }
  if (basic && (s.basic.username === '' || s.basic.password === '')) {
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
