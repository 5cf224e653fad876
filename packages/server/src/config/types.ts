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
  /** Largest accepted request body in bytes (413 above it). */
  maxBodyBytes: number;
  /**
   * How long a stopping server (SIGTERM/SIGINT) waits for requests in flight and open
   * connections before cutting them (Ensign's key `server.shutdown_grace_period`).
   */
  shutdownGracePeriodMs: number;
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
}

export interface DatabaseConfig {
  /** `file:`/`sqlite:`, `libsql:`/`libsql://`/`http(s)://`, `postgres://`, `cockroach://`, `mysql://`. */
  url: string;
  /** Turso / libSQL server auth token; never reported by /meta/config. */
  authToken: string;
  /** How often a replica looks for other replicas' writes (Ensign's key `db.poll_interval`). */
  pollIntervalMs: number;
  // Flipt's split connection keys, as given; `url` is built from them when `db.url` is not set.
  protocol?: string;
  host?: string;
  port?: number;
  name?: string;
  user?: string;
  /** A secret, like `authToken`. */
  password?: string;
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
  /** Only `required: false` is accepted until authentication lands; /meta/info reports it. */
  authentication: { required: boolean };
}
