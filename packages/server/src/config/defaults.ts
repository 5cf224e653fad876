import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { defaultBackendSettings } from './storage/index.ts';
import type { AuthenticationConfig, Config, ServerLimits } from './types.ts';

/**
 * The feature files bundled with Ensign (`ensign import examples/...` gives a newcomer real
 * flags; `storage.local.path` defaults to them). Resolved from this file, not the working
 * directory, so it works from anywhere.
 */
export const BUNDLED_EXAMPLES_PATH: string = resolve(
  fileURLToPath(new URL('../../../../examples', import.meta.url)),
);

/**
 * Where the embedded SQLite database lives by default, following Flipt: /var/opt/ensign when an
 * operator created it, else the user's config directory. Created on first start.
 */
export function defaultDatabaseUrl(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (existsSync('/var/opt/ensign')) return 'file:/var/opt/ensign/ensign.db';
  const configHome = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return `file:${join(configHome, 'ensign', 'ensign.db')}`;
}

/** Where `ensign config init` writes, and the server looks when no --config is given. */
export function userConfigPath(env: Readonly<Record<string, string | undefined>> = process.env): string {
  const configHome = env['XDG_CONFIG_HOME'] || join(homedir(), '.config');
  return join(configHome, 'ensign', 'config.yml');
}

/** Flipt's lookup, Ensign's names: --config, then the user's config file, then /etc/ensign. */
export function findConfigFile(explicit: string | undefined): string | undefined {
  if (explicit !== undefined) return explicit;
  return [userConfigPath(), '/etc/ensign/config.yml'].find((path) => existsSync(path));
}

/** Flipt's default CORS headers, plus the ones Ensign's clients send. */
export const DEFAULT_CORS_ALLOWED_HEADERS: readonly string[] = [
  'Accept',
  'Authorization',
  'Content-Type',
  'X-CSRF-Token',
  'X-Fern-Language',
  'X-Fern-SDK-Name',
  'X-Fern-SDK-Version',
  'X-Flipt-Namespace',
  'X-Flipt-Accept-Server-Version',
  'X-Flipt-Environment',
  'If-None-Match',
  'Last-Event-ID',
];

export const DEFAULT_MAX_BODY_BYTES = 4 * 1024 * 1024;

export const DEFAULT_SERVER_LIMITS: Readonly<ServerLimits> = {
  headersTimeoutMs: 10_000,
  requestTimeoutMs: 30_000,
  idleTimeoutMs: 60_000,
  maxConnections: 10_000,
  maxConcurrentStreams: 100,
  maxChangeStreams: 10_000,
  maxChangeStreamsPerClient: 100,
};

/**
 * A fresh copy of the built-in defaults (callers may mutate it). The settings table documents
 * the same defaults; a test checks they agree.
 */
export function defaultConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  return {
    log: { level: 'info', encoding: 'console', access: false },
    cors: { enabled: false, allowedOrigins: ['*'], allowedHeaders: [...DEFAULT_CORS_ALLOWED_HEADERS] },
    server: {
      protocol: 'http',
      host: '0.0.0.0',
      httpPort: 8080,
      httpsPort: 443,
      certFile: '',
      certKey: '',
      grpcPort: 9000,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      limits: { ...DEFAULT_SERVER_LIMITS },
      shutdownGracePeriodMs: 5_000,
    },
    // The single place that decides the default storage: an embedded SQLite database.
    storage: {
      type: 'database',
      readOnly: false,
      local: { path: BUNDLED_EXAMPLES_PATH, pollIntervalMs: 5_000 },
      backends: defaultBackendSettings(),
    },
    db: {
      url: defaultDatabaseUrl(env),
      authToken: '',
      pollIntervalMs: 300,
      connectTimeoutMs: 2_000,
      queryTimeoutMs: 5_000,
      snapshotPath: '',
    },
    metrics: { enabled: true },
    tracing: {
      enabled: false,
      exporter: 'otlp',
      samplingRatio: 1,
      propagators: ['tracecontext', 'baggage'],
      otlp: { endpoint: 'http://localhost:4318', headers: {} },
    },
    authentication: defaultAuthentication(),
    authorization: { required: false, policyPath: '', pollIntervalMs: 5 * 60_000 },
    audit: {
      sinks: {
        log: { enabled: false, file: '' },
        webhook: { enabled: false, url: '', signingSecret: '', maxBackoffMs: 15_000, templates: [] },
        database: { enabled: false, retentionMs: 90 * 24 * 3_600_000, maxEvents: 100_000 },
      },
      buffer: { capacity: 2, flushPeriodMs: 2 * 60_000 },
      events: ['*:*'],
    },
    ui: { enabled: true, defaultTheme: 'system', topbar: { color: '', label: '' } },
  };
}

const defaultCleanup = () => ({ intervalMs: 3_600_000, gracePeriodMs: 30 * 60_000 });

export function defaultAuthentication(): AuthenticationConfig {
  return {
    required: false,
    exclude: { management: false, evaluation: false, ofrep: false },
    session: {
      domain: '',
      secure: false,
      tokenLifetimeMs: 24 * 3_600_000,
      stateLifetimeMs: 10 * 60_000,
      csrf: { key: '', secure: true, trustedOrigins: [] },
    },
    methods: {
      token: {
        enabled: false,
        cleanup: { intervalMs: 3_600_000, gracePeriodMs: 30 * 60_000 },
        bootstrap: { token: '', expirationMs: 0, metadata: {} },
      },
      kubernetes: {
        enabled: false,
        discoveryUrl: 'https://kubernetes.default.svc.cluster.local',
        caPath: '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
        serviceAccountTokenPath: '/var/run/secrets/kubernetes.io/serviceaccount/token',
        audiences: [],
        cleanup: { intervalMs: 3_600_000, gracePeriodMs: 30 * 60_000 },
      },
      oidc: { enabled: false, cleanup: defaultCleanup(), emailMatches: [], providers: {} },
      github: {
        enabled: false,
        cleanup: defaultCleanup(),
        serverUrl: 'https://github.com',
        apiUrl: 'https://api.github.com',
        clientId: '',
        clientSecret: '',
        redirectAddress: '',
        scopes: [],
        allowedOrganizations: [],
        allowedTeams: {},
      },
      jwt: {
        enabled: false,
        jwksUrl: '',
        publicKeyFile: '',
        validateClaims: { issuer: '', subject: '', audiences: [] },
      },
    },
  };
}
