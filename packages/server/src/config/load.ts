import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { ConfigError } from './config-error.ts';
import { parseDatabaseUrl } from './database-url.ts';
import { defaultConfig } from './defaults.ts';
import { type Environment, environmentValues } from './environment.ts';
import { buildKeyTree, collectValues, isMapping, kindOf } from './key-tree.ts';
import { REDACTED, rememberSecrets, secretsInUrl } from './secrets.ts';
import { checkSecurity } from './security-checks.ts';
import { isDefaultOrEmpty, type Setting } from './setting.ts';
import { SETTINGS } from './settings.ts';
import { applySplitDatabaseKeys } from './split-database-keys.ts';
import { storageTypeKeys } from './storage/index.ts';
import type { Config } from './types.ts';

export type { Environment } from './environment.ts';

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
  /** Things worth a log line that do not stop the server (keys that have no effect in Ensign). */
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

const TREE = buildKeyTree(SETTINGS);

/**
 * Turns a parsed config.yml document into a validated Config. Precedence, highest first:
 * `ENSIGN_<KEY_PATH>`, `FLIPT_<KEY_PATH>`, the file, the built-in defaults. Unknown keys, values
 * of the wrong type and keys Ensign does not implement yet stop here with a message naming them.
 */
export function resolveConfig(
  document: unknown,
  options: { env: Environment; cwd: string },
): Omit<LoadedConfig, 'path'> {
  if (!isMapping(document))
    throw new ConfigError(`the config file must be a mapping of keys (got ${kindOf(document)})`);
  const config = defaultConfig(options.env);
  const warnings: string[] = [];

  const fromFile = new Map(collectValues(document, TREE).map((found) => [found.key, found]));
  const fromEnv = new Map(environmentValues(options.env, SETTINGS, TREE).map((found) => [found.key, found]));
  const explicit = new Set<string>();
  for (const key of new Set([...fromFile.keys(), ...fromEnv.keys()])) {
    const env = fromEnv.get(key);
    const { setting, raw } = env ?? fromFile.get(key)!;
    let given = raw;
    try {
      given = substitute(key, raw, options.env);
      const value = readValue(key, setting, given);
      if (value === undefined) continue;
      explicit.add(setting.key);
      // Remembered before anything can refuse the value, so no later message can show it.
      rememberSecrets([
        ...(setting.secret ? secretStrings(value) : []),
        ...(typeof value === 'string' ? secretsInUrl(value) : []),
      ]);
      use(config, key, setting, value, given, warnings);
    } catch (error) {
      if (!(error instanceof ConfigError)) throw error;
      const detail = setting.secret ? hideValue(error.detail, given) : error.detail;
      throw new ConfigError(env ? `${detail} (set by ${env.name})` : detail, error.key ?? key);
    }
  }

  for (const ignored of applySplitDatabaseKeys(config.db, explicit.has('db.url')))
    warnings.push(`${ignored} is ignored because db.url is set (Flipt's precedence)`);
  checkCombinations(config, explicit);
  checkSecurity(config, options.cwd);
  config.storage.local.path = resolve(options.cwd, config.storage.local.path);
  rememberSecrets(secretsInUrl(config.db.url));
  return { config, warnings };
}

/** The typed value, or undefined for an empty string given to a non-text key (unset, like Flipt). */
function readValue(key: string, setting: Setting, raw: unknown): unknown {
  if (!setting.kind.textual && typeof raw === 'string' && raw.trim() === '') return undefined;
  return setting.kind.parse(key, raw);
}

function use(
  config: Config,
  key: string,
  setting: Setting,
  value: unknown,
  raw: unknown,
  warnings: string[],
): void {
  if (setting.apply) {
    const refusal = setting.refuse?.(value);
    if (refusal) throw new ConfigError(`${key} ${refusal}`, key);
    setting.apply(config, value, raw, key);
  } else if (isDefaultOrEmpty(setting, value)) {
    // Asking for the default of a feature Ensign lacks asks for nothing.
  } else if (setting.noEffect) {
    warnings.push(`${key} has no effect: ${setting.noEffect}`);
  } else {
    throw new ConfigError(
      `${key} is not supported yet by Ensign: remove it, or set it to its default${setting.default === undefined ? '' : ` (${JSON.stringify(setting.default)})`}`,
      key,
    );
  }
}

function secretStrings(value: unknown): string[] {
  // A header value such as `Bearer <token>`: the token alone is a secret too.
  if (typeof value === 'string') return [value, ...value.split(/\s+/).filter((part) => part.length >= 8)];
  if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(secretStrings);
  return [];
}

/** A parse error for a secret key must not quote the secret back. */
function hideValue(detail: string, raw: unknown): string {
  const text = typeof raw === 'string' ? raw : JSON.stringify(raw);
  if (text === undefined || text === '') return detail;
  return detail.replaceAll(JSON.stringify(text), REDACTED).replaceAll(text, REDACTED);
}

function checkCombinations(config: Config, explicit: ReadonlySet<string>): void {
  if (config.tracing.enabled) checkTracing(config);
  const { storage } = config;
  // Each backend checks its own keys together (a repository is required, ssh is refused, ...).
  storageTypeKeys(storage.type)?.validate?.(config);
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
}

function checkTracing(config: Config): void {
  const { otlp, propagators } = config.tracing;
  if (!/^https?:\/\//.test(otlp.endpoint)) {
    throw new ConfigError(
      `tracing.otlp.endpoint "${otlp.endpoint}": OTLP over gRPC is not supported yet; give the OTLP/HTTP URL, e.g. http://collector:4318`,
      'tracing.otlp.endpoint',
    );
  }
  const unsupported = propagators.filter((p) => !['tracecontext', 'baggage', 'none'].includes(p));
  if (unsupported.length > 0) {
    throw new ConfigError(
      `tracing.propagators: ${unsupported.join(', ')} is not supported yet (supported: tracecontext, baggage, none)`,
      'tracing.propagators',
    );
  }
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
