import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { parseDatabaseUrl } from '../storage/database/url.ts';
import { checkAudit } from './audit-settings.ts';
import { checkAuthentication } from './authentication-settings.ts';
import { ConfigError } from './config-error.ts';
import { defaultConfig } from './defaults.ts';
import { FLIPT_TOP_LEVEL_KEYS, SETTINGS } from './settings.ts';
import type { Config } from './types.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

export interface LoadConfigOptions {
  /** The `--config` path; built-in defaults (plus environment) when absent. */
  path?: string;
  /** Defaults to `process.env`. */
  env?: Environment;
  /** Base for a relative `storage.local.path`; defaults to `process.cwd()` as in Flipt. */
  cwd?: string;
}

export interface LoadedConfig {
  config: Config;
  /** Things worth a log line that do not stop the server (unknown keys). */
  warnings: string[];
  /** The file read, or undefined when running on defaults. */
  path: string | undefined;
}

/** Reads `--config PATH` (if any), then applies environment overrides and validation. */
export function loadConfig(options: LoadConfigOptions = {}): LoadedConfig {
  const document = options.path === undefined ? {} : readConfigFile(options.path);
  const resolved = resolveConfig(document, {
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
  });
  return { ...resolved, path: options.path === undefined ? undefined : resolve(options.path) };
}

function readConfigFile(path: string): unknown {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : String(error);
    throw new ConfigError(`cannot read config file ${JSON.stringify(path)}: ${reason}`);
  }
  const document = parseDocument(text);
  const first = document.errors[0];
  if (first) {
    const line = first.linePos?.[0].line;
    const where = line === undefined ? path : `${path}:${line}`;
    const reason = first.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new ConfigError(`${where}: ${reason}`);
  }
  return document.toJS() ?? {};
}

/**
 * Turns a parsed config.yml document into a validated Config. Precedence, highest first:
 * `ENSIGN_<KEY_PATH>`, `FLIPT_<KEY_PATH>`, the file, the built-in defaults.
 */
export function resolveConfig(
  document: unknown,
  options: { env: Environment; cwd: string },
): Omit<LoadedConfig, 'path'> {
  if (!isMapping(document))
    throw new ConfigError(`the config file must be a mapping of keys (got ${kindOf(document)})`);
  const config = defaultConfig();
  const warnings = Object.keys(document)
    .filter((key) => !FLIPT_TOP_LEVEL_KEYS.has(key))
    .map((key) => `unknown config key "${key}" is ignored`);

  const explicit = new Set<string>();
  for (const setting of SETTINGS) {
    const fromEnv = environmentValue(setting.key, options.env);
    const raw = fromEnv ? fromEnv.value : valueAt(document, setting.key);
    if (raw === undefined || raw === null) continue;
    explicit.add(setting.key);
    try {
      setting.apply(config, substitute(setting.key, raw, options.env));
    } catch (error) {
      if (fromEnv && error instanceof ConfigError)
        throw new ConfigError(`${error.detail} (set by ${fromEnv.name})`, setting.key);
      throw error;
    }
  }

  checkCombinations(config, explicit);
  checkAuthentication(config);
  checkAudit(config);
  config.storage.local.path = resolve(options.cwd, config.storage.local.path);
  if (config.server.certFile) config.server.certFile = resolve(options.cwd, config.server.certFile);
  if (config.server.certKey) config.server.certKey = resolve(options.cwd, config.server.certKey);
  const { jwt } = config.authentication.methods;
  if (jwt.publicKeyFile) jwt.publicKeyFile = resolve(options.cwd, jwt.publicKeyFile);
  if (config.authorization.policyPath)
    config.authorization.policyPath = resolve(options.cwd, config.authorization.policyPath);
  return { config, warnings };
}

function checkCombinations(config: Config, explicit: ReadonlySet<string>): void {
  const { storage, server } = config;
  if (storage.type !== 'local' && storage.type !== 'database') {
    throw new ConfigError(
      `storage.type "${storage.type}" is not supported yet (supported: database, local)`,
      'storage.type',
    );
  }
  if (storage.type === 'database') {
    try {
      parseDatabaseUrl(config.db.url);
    } catch (error) {
      throw new ConfigError(error instanceof Error ? error.message : String(error), 'db.url');
    }
  } else {
    if (explicit.has('storage.read_only') && !storage.readOnly) {
      throw new ConfigError(
        `storage.read_only cannot be false with storage.type "${storage.type}": only a database can be written to`,
        'storage.read_only',
      );
    }
    // Declarative storage is read-only whatever the file says.
    storage.readOnly = true;
  }
  if (server.protocol === 'https' && (server.certFile === '' || server.certKey === '')) {
    throw new ConfigError(
      'server.protocol "https" needs server.cert_file and server.cert_key (PEM files)',
      server.certFile === '' ? 'server.cert_file' : 'server.cert_key',
    );
  }
}

/** `ENSIGN_SERVER_HTTP_PORT` wins over `FLIPT_SERVER_HTTP_PORT`; empty variables count as unset. */
function environmentValue(key: string, env: Environment): { name: string; value: string } | undefined {
  const suffix = key.replaceAll('.', '_').toUpperCase();
  for (const name of [`ENSIGN_${suffix}`, `FLIPT_${suffix}`]) {
    const value = env[name];
    if (value !== undefined && value !== '') return { name, value };
  }
  return undefined;
}

/** Flipt replaces a string value of exactly the form `${VAR}` with that variable. */
function substitute(key: string, raw: unknown, env: Environment): unknown {
  if (typeof raw !== 'string') return raw;
  const match = /^\$\{([A-Za-z_][A-Za-z0-9_]*)\}$/.exec(raw.trim());
  if (!match) return raw;
  const value = env[match[1]!];
  if (value === undefined) {
    throw new ConfigError(`${key} refers to \${${match[1]}}, but ${match[1]} is not set`, key);
  }
  return value;
}

function valueAt(document: Record<string, unknown>, key: string): unknown {
  const segments = key.split('.');
  let node: unknown = document;
  for (const [index, segment] of segments.entries()) {
    if (node === undefined || node === null) return undefined;
    if (!isMapping(node)) {
      const parent = segments.slice(0, index).join('.');
      throw new ConfigError(`${parent} must be a mapping (got ${kindOf(node)})`, parent);
    }
    node = node[segment];
  }
  return node;
}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'a list' : (JSON.stringify(value) ?? String(value));
}
