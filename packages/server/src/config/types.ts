// Ensign's configuration, keyed like Flipt's config.yml so a Flipt config file works unchanged.
// Only implemented keys have a field here; settings.ts lists every key, implemented or not.

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'fatal';

export interface CorsConfig {
  enabled: boolean;
  allowedOrigins: string[];
  allowedHeaders: string[];
}

export interface ServerConfig {
  protocol: 'http' | 'https';
  host: string;
  httpPort: number;
  httpsPort: number;
  grpcPort: number;
  /** PEM certificate chain and private key, for `protocol: https` (HTTP and gRPC). */
  certFile: string;
  certKey: string;
  /** Largest accepted request body in bytes (413 above it). */
  maxBodyBytes: number;
  /** Connection and stream bounds for both listeners (server.limits.*). */
  limits: ServerLimits;
  /**
   * How long a stopping server (SIGTERM/SIGINT) waits for requests in flight and open
   * connections before cutting them (Ensign's key `server.shutdown_grace_period`).
   */
  shutdownGracePeriodMs: number;
}

/** What one client, or many, may hold open; every wait on a client has an end. */
export interface ServerLimits {
  /** Time to send a complete request head (HTTP/1.1) or the first bytes of a connection. */
  headersTimeoutMs: number;
  /** Time to send a complete request, body included. */
  requestTimeoutMs: number;
  /** Time a keep-alive connection or HTTP/2 session may sit without a request. */
  idleTimeoutMs: number;
  /** Open connections per listener; more are closed on arrival. */
  maxConnections: number;
  /** Concurrent HTTP/2 streams per session. */
  maxConcurrentStreams: number;
  /** Open change streams (SSE) in total, and per client address. */
  maxChangeStreams: number;
  maxChangeStreamsPerClient: number;
}

export interface LocalStorageConfig {
  path: string;
  /** Fallback polling interval in ms when file events are unavailable or missed. */
  pollIntervalMs: number;
}

export interface StorageConfig {
  type: 'local' | 'database' | 'git' | 'object' | 'oci';
  readOnly: boolean;
  local: LocalStorageConfig;
  /**
   * Settings of the other backends, keyed by `storage.type` (`git`, `oci`, ...). Each backend
   * owns its shape and its keys (storage/registry.ts), so adding one touches no config file.
   */
  backends?: Record<string, unknown>;
}

export interface DatabaseConfig {
  /** `file:`/`sqlite:`, `libsql:`/`libsql://`/`http(s)://`, `postgres://`, `cockroach://`, `mysql://`. */
  url: string;
  /** Turso / libSQL server auth token; never reported by /meta/config. */
  authToken: string;
  /** How often a replica looks for other replicas' writes (Ensign's key `db.poll_interval`). */
  pollIntervalMs: number;
  /** Waiting for a connection before the database counts as unreachable (`db.connect_timeout`). */
  connectTimeoutMs: number;
  /** How long one statement may run before its connection is dropped (`db.query_timeout`). */
  queryTimeoutMs: number;
  /**
   * Where the last loaded flags are saved for a start during a database outage
   * (`db.snapshot_path`); empty picks the default (beside a SQLite file, else the user's cache).
   */
  snapshotPath: string;
  // Flipt's split connection keys, as given; `url` is built from them when `db.url` is not set.
  protocol?: string;
  host?: string;
  port?: number;
  name?: string;
  user?: string;
  /** A secret, like `authToken`. */
  password?: string;
}

/** Flipt's `ui.*` keys: whether `/` serves the web UI, and how it first looks. */
export interface UiConfig {
  enabled: boolean;
  defaultTheme: 'system' | 'light' | 'dark';
  topbar: { color: string; label: string };
}

export interface TracingConfig {
  enabled: boolean;
  /** Only `otlp` (over HTTP) is implemented; it is Ensign's default (Flipt's is `jaeger`). */
  exporter: 'jaeger' | 'zipkin' | 'otlp';
  samplingRatio: number;
  propagators: string[];
  otlp: { endpoint: string; headers: Record<string, string> };
}

export interface Config {
  /** `access`: one line per request (Ensign's key `log.access`). */
  log: { level: LogLevel; encoding: 'console' | 'json'; access: boolean };
  cors: CorsConfig;
  server: ServerConfig;
  storage: StorageConfig;
  db: DatabaseConfig;
  /** `enabled: false` removes /metrics. */
  metrics: { enabled: boolean };
  tracing: TracingConfig;
  authentication: AuthenticationConfig;
  authorization: AuthorizationConfig;
  audit: AuditConfig;
  ui: UiConfig;
}

/** `audit.*`: the log and webhook sinks (Kafka is not available). Durations in ms. */
export interface AuditConfig {
  sinks: {
    log: { enabled: boolean; file: string };
    webhook: {
      enabled: boolean;
      url: string;
      signingSecret: string;
      maxBackoffMs: number;
      /** Bodies rendered per event from a Go-template subset (used when `url` is empty). */
      templates: WebhookTemplateConfig[];
    };
    /** Ensign: events kept in the configured database, read back as a flag's history. */
    database: { enabled: boolean; retentionMs: number; maxEvents: number };
  };
  buffer: { capacity: number; flushPeriodMs: number };
  /** `<noun>:<verb>` filters, `*` for any. */
  events: string[];
}

/** One `audit.sinks.webhook.templates` entry: where to POST, the body template, extra headers. */
export interface WebhookTemplateConfig {
  url: string;
  body: string;
  headers: Record<string, string>;
}

/** `authorization.*` with the local backend: a declarative policy file, re-read periodically. */
export interface AuthorizationConfig {
  required: boolean;
  policyPath: string;
  pollIntervalMs: number;
}

/** How often expired authentications of a method are deleted, and how long after expiry. */
export interface CleanupConfig {
  intervalMs: number;
  gracePeriodMs: number;
}

/** `authentication.methods.oidc.providers.<name>`. */
export interface OidcProviderConfig {
  issuerUrl: string;
  clientId: string;
  clientSecret: string;
  redirectAddress: string;
  nonce: string;
  scopes: string[];
  usePkce: boolean;
}

export interface OidcMethodConfig {
  enabled: boolean;
  cleanup: CleanupConfig;
  /** Regular expressions; when any is given, the e-mail claim must match one. */
  emailMatches: string[];
  providers: Record<string, OidcProviderConfig>;
}

export interface GithubMethodConfig {
  enabled: boolean;
  cleanup: CleanupConfig;
  serverUrl: string;
  apiUrl: string;
  clientId: string;
  clientSecret: string;
  redirectAddress: string;
  scopes: string[];
  allowedOrganizations: string[];
  /** Organisation → team slugs. */
  allowedTeams: Record<string, string[]>;
}

/** `authentication.*` (spec §7.2). Durations are in milliseconds. */
export interface AuthenticationConfig {
  required: boolean;
  /** Surfaces that answer without credentials even when `required` is on. */
  exclude: { management: boolean; evaluation: boolean; ofrep: boolean };
  session: {
    domain: string;
    secure: boolean;
    tokenLifetimeMs: number;
    stateLifetimeMs: number;
    /** Cross-origin write protection for cookie sessions; on when `key` is set. */
    csrf: { key: string; secure: boolean; trustedOrigins: string[] };
  };
  methods: {
    token: {
      enabled: boolean;
      cleanup: { intervalMs: number; gracePeriodMs: number };
      bootstrap: { token: string; expirationMs: number; metadata: Record<string, string> };
    };
    oidc: OidcMethodConfig;
    github: GithubMethodConfig;
    kubernetes: {
      enabled: boolean;
      /** The API server; its `/.well-known/openid-configuration` names the issuer and JWKS. */
      discoveryUrl: string;
      caPath: string;
      serviceAccountTokenPath: string;
      /** Ensign: audiences a service-account token must carry (empty: not checked, as in Flipt). */
      audiences: string[];
      cleanup: { intervalMs: number; gracePeriodMs: number };
    };
    jwt: {
      enabled: boolean;
      jwksUrl: string;
      publicKeyFile: string;
      validateClaims: { issuer: string; subject: string; audiences: string[] };
    };
  };
}
