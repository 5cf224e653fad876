// Ensign's configuration, keyed like Flipt's config.yml so a Flipt
// config file works unchanged. Keys we do not implement yet are accepted and ignored.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

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
  /** Connection and stream bounds for both listeners (server.limits.*). */
  limits: ServerLimits;
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
}

export interface Config {
  log: { level: LogLevel; encoding: 'console' | 'json' };
  cors: CorsConfig;
  server: ServerConfig;
  storage: StorageConfig;
  db: DatabaseConfig;
  /** Flipt keys that are only reported (in /meta/config), not acted upon yet. */
  metrics: { enabled: boolean };
  authentication: { required: boolean };
}
