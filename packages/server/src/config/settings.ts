import { ConfigError } from './config-error.ts';
import type { Config } from './types.ts';
import {
  parseBoolean,
  parseByteSize,
  parseChoice,
  parseDurationMs,
  parseInteger,
  parsePort,
  parseString,
  parseStringList,
} from './values.ts';

/**
 * Every config.yml key Ensign acts upon, with how to read it. The same table drives the YAML
 * file, the `ENSIGN_`/`FLIPT_` environment overrides and `${VAR}` substitution, so a key
 * cannot be supported in one and forgotten in another.
 */
export interface Setting {
  /** Dotted snake_case path as in Flipt's config.yml. */
  key: string;
  apply(config: Config, raw: unknown): void;
}

function setting(key: string, apply: (config: Config, raw: unknown, key: string) => void): Setting {
  return { key, apply: (config, raw) => apply(config, raw, key) };
}

function nonEmpty(key: string, raw: unknown): string {
  const text = parseString(key, raw).trim();
  if (text === '') throw new ConfigError(`${key} must not be empty`, key);
  return text;
}

function limitSettings(): Setting[] {
  const duration = (name: string, field: 'headersTimeoutMs' | 'requestTimeoutMs' | 'idleTimeoutMs') =>
    setting(`server.limits.${name}`, (c, raw, key) => {
      c.server.limits[field] = parseDurationMs(key, raw);
    });
  const count = (
    name: string,
    field: 'maxConnections' | 'maxConcurrentStreams' | 'maxChangeStreams' | 'maxChangeStreamsPerClient',
  ) =>
    setting(`server.limits.${name}`, (c, raw, key) => {
      c.server.limits[field] = parseInteger(key, raw, 1, 1_000_000);
    });
  return [
    duration('headers_timeout', 'headersTimeoutMs'),
    duration('request_timeout', 'requestTimeoutMs'),
    duration('idle_timeout', 'idleTimeoutMs'),
    count('max_connections', 'maxConnections'),
    count('max_concurrent_streams', 'maxConcurrentStreams'),
    count('max_change_streams', 'maxChangeStreams'),
    count('max_change_streams_per_client', 'maxChangeStreamsPerClient'),
  ];
}

export const SETTINGS: readonly Setting[] = [
  setting('log.level', (c, raw, key) => {
    c.log.level = parseChoice(key, raw, ['debug', 'info', 'warn', 'error'], { warning: 'warn' });
  }),
  setting('log.encoding', (c, raw, key) => {
    c.log.encoding = parseChoice(key, raw, ['console', 'json']);
  }),
  setting('cors.enabled', (c, raw, key) => {
    c.cors.enabled = parseBoolean(key, raw);
  }),
  setting('cors.allowed_origins', (c, raw, key) => {
    c.cors.allowedOrigins = parseStringList(key, raw);
  }),
  setting('cors.allowed_headers', (c, raw, key) => {
    c.cors.allowedHeaders = parseStringList(key, raw);
  }),
  setting('server.protocol', (c, raw, key) => {
    c.server.protocol = parseChoice(key, raw, ['http', 'https']);
  }),
  setting('server.host', (c, raw, key) => {
    c.server.host = nonEmpty(key, raw);
  }),
  setting('server.http_port', (c, raw, key) => {
    c.server.httpPort = parsePort(key, raw, true);
  }),
  setting('server.https_port', (c, raw, key) => {
    c.server.httpsPort = parsePort(key, raw, true);
  }),
  setting('server.grpc_port', (c, raw, key) => {
    c.server.grpcPort = parsePort(key, raw, true);
  }),
  setting('server.max_body_bytes', (c, raw, key) => {
    c.server.maxBodyBytes = parseByteSize(key, raw);
  }),
  ...limitSettings(),
  setting('storage.type', (c, raw, key) => {
    c.storage.type = parseChoice(key, raw, ['local', 'database', 'git', 'object', 'oci']);
  }),
  setting('storage.read_only', (c, raw, key) => {
    c.storage.readOnly = parseBoolean(key, raw);
  }),
  setting('storage.local.path', (c, raw, key) => {
    c.storage.local.path = nonEmpty(key, raw);
  }),
  setting('storage.local.poll_interval', (c, raw, key) => {
    c.storage.local.pollIntervalMs = parseDurationMs(key, raw);
  }),
  setting('db.url', (c, raw, key) => {
    c.db.url = nonEmpty(key, raw);
  }),
  setting('db.auth_token', (c, raw, key) => {
    c.db.authToken = parseString(key, raw);
  }),
  setting('db.poll_interval', (c, raw, key) => {
    c.db.pollIntervalMs = parseDurationMs(key, raw);
  }),
  setting('db.connect_timeout', (c, raw, key) => {
    c.db.connectTimeoutMs = parseDurationMs(key, raw);
  }),
  setting('db.query_timeout', (c, raw, key) => {
    c.db.queryTimeoutMs = parseDurationMs(key, raw);
  }),
  setting('db.snapshot_path', (c, raw, key) => {
    c.db.snapshotPath = parseString(key, raw).trim();
  }),
  setting('metrics.enabled', (c, raw, key) => {
    c.metrics.enabled = parseBoolean(key, raw);
  }),
  setting('authentication.required', (c, raw, key) => {
    c.authentication.required = parseBoolean(key, raw);
  }),
];

/** Flipt's top-level keys: accepted silently even where Ensign ignores them. */
export const FLIPT_TOP_LEVEL_KEYS: ReadonlySet<string> = new Set([
  'version',
  'log',
  'ui',
  'cors',
  'cache',
  'server',
  'db',
  'storage',
  'tracing',
  'metrics',
  'meta',
  'authentication',
  'authorization',
  'audit',
  'analytics',
  'diagnostics',
  'experimental',
]);
