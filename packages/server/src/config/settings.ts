import { ConfigError } from './config-error.ts';
import {
  BUNDLED_EXAMPLES_PATH,
  DEFAULT_CORS_ALLOWED_HEADERS,
  DEFAULT_MAX_BODY_BYTES,
  DEFAULT_SERVER_LIMITS,
} from './defaults.ts';
import {
  boolean,
  byteSize,
  choice,
  duration,
  integer,
  type Kind,
  nonEmptyString,
  number,
  opaque,
  port,
  string,
  stringList,
  stringMap,
} from './kinds.ts';
import { mergeSettings, type Setting, setting } from './setting.ts';
import { STORAGE_TYPE_SETTINGS, STORAGE_TYPES, storageTypeKeys } from './storage/index.ts';
import type { Config, OidcProviderConfig, ServerLimits } from './types.ts';
import { webhookTemplates } from './webhook-templates.ts';

export type { Setting } from './setting.ts';
export { nonEmpty, setting } from './setting.ts';

// Every key of Flipt v1's config.yml, plus Ensign's own (marked "Ensign:"). A key with `apply`
// is implemented; one without stops the server when set to anything but its default or an empty
// value. To implement a key, give it `apply` (and a field in types.ts).

const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal'] as const;
const LOG_ALIASES = { warning: 'warn', panic: 'fatal' } as const;
const NOT_YET = 'is not supported yet';

const CACHE_NO_EFFECT =
  'Ensign always evaluates from a snapshot held in memory, so there is nothing to cache';
const META_NO_EFFECT = 'Ensign never checks for updates nor sends telemetry';

/** Ensign: what clients may hold open, on the HTTP and the gRPC port. */
function limitSettings(): Setting[] {
  type Field = keyof ServerLimits;
  const limit = (name: string, field: Field, kind: Kind<number>, doc: string) =>
    setting(`server.limits.${name}`, kind, DEFAULT_SERVER_LIMITS[field], `Ensign: ${doc}`, {
      apply: (c, v) => {
        c.server.limits[field] = v;
      },
    });
  const count = integer(1, 1_000_000);
  return [
    limit('headers_timeout', 'headersTimeoutMs', duration(), 'time to send a request head (or a first byte)'),
    limit('request_timeout', 'requestTimeoutMs', duration(), 'time to send a whole request or gRPC message'),
    limit(
      'idle_timeout',
      'idleTimeoutMs',
      duration(),
      'keep-alive connections and HTTP/2 sessions close when idle this long',
    ),
    limit('max_connections', 'maxConnections', count, 'open connections per port'),
    limit(
      'max_concurrent_streams',
      'maxConcurrentStreams',
      count,
      'concurrent streams per HTTP/2 connection',
    ),
    limit('max_change_streams', 'maxChangeStreams', count, 'open change streams in total'),
    limit(
      'max_change_streams_per_client',
      'maxChangeStreamsPerClient',
      count,
      'open change streams per client address',
    ),
  ];
}

/** Cleanup of expired authentications, shared by several methods; `target` implements the keys. */
function cleanup(
  prefix: string,
  target?: (c: Config) => { intervalMs: number; gracePeriodMs: number },
): Setting[] {
  const to = (field: 'intervalMs' | 'gracePeriodMs') =>
    target
      ? {
          apply: (c: Config, v: number) => {
            target(c)[field] = v;
          },
        }
      : {};
  return [
    setting(
      `${prefix}.cleanup.interval`,
      duration(),
      3_600_000,
      'how often expired tokens are deleted',
      to('intervalMs'),
    ),
    setting(
      `${prefix}.cleanup.grace_period`,
      duration(),
      1_800_000,
      'how long an expired token is kept',
      to('gracePeriodMs'),
    ),
  ];
}

/** `authentication.methods.oidc.providers.<name>.<field>` → that provider's config, created on first use. */
function oidcProvider(c: Config, key: string): OidcProviderConfig {
  const name = key.split('.')[4] ?? '';
  const providers = c.authentication.methods.oidc.providers;
  providers[name] ??= {
    issuerUrl: '',
    clientId: '',
    clientSecret: '',
    redirectAddress: '',
    nonce: '',
    scopes: [],
    usePkce: false,
  };
  return providers[name];
}

/** `allowed_teams`: organisation → list of team slugs. */
const teamLists: Kind<Record<string, string[]>> = {
  example: { acme: ['flag-admins'] },
  parse(key, raw) {
    if (typeof raw === 'object' && raw !== null && !Array.isArray(raw))
      return Object.fromEntries(
        Object.entries(raw).map(([org, list]) => [org, stringList.parse(`${key}.${org}`, list)]),
      );
    throw new ConfigError(
      `${key} must map organisations to lists of team slugs (got ${JSON.stringify(raw)})`,
      key,
    );
  },
  schema: { type: 'object', additionalProperties: stringList.schema },
};

export const SETTINGS: readonly Setting[] = mergeSettings([
  setting('version', choice(['1.0']), '1.0', 'config file format version'),

  // log
  setting('log.level', choice(LOG_LEVELS, LOG_ALIASES), 'info', 'least severe level written', {
    apply: (c, v) => {
      c.log.level = v;
    },
  }),
  setting('log.encoding', choice(['console', 'json']), 'console', 'console (readable) or json lines', {
    apply: (c, v) => {
      c.log.encoding = v;
    },
  }),
  setting('log.access', boolean, false, 'Ensign: one line per request (method, path, status, duration)', {
    apply: (c, v) => {
      c.log.access = v;
    },
  }),
  setting('log.file', string, '', 'write logs to this file instead of standard error'),
  setting('log.grpc_level', choice(LOG_LEVELS, LOG_ALIASES), 'error', 'level of gRPC library logs'),
  setting('log.keys.time', string, 'T', 'field name of the time in json logs'),
  setting('log.keys.level', string, 'L', 'field name of the level in json logs'),
  setting('log.keys.message', string, 'M', 'field name of the message in json logs'),

  // ui
  setting('ui.enabled', boolean, true, 'serve the web UI at /', {
    apply: (c, v) => {
      c.ui.enabled = v;
    },
  }),
  setting(
    'ui.default_theme',
    choice(['system', 'light', 'dark']),
    'system',
    "the UI's theme until a user picks one",
    {
      apply: (c, v) => {
        c.ui.defaultTheme = v;
      },
    },
  ),
  setting('ui.topbar.color', string, '', 'UI top bar colour (any CSS colour)', {
    apply: (c, v) => {
      c.ui.topbar.color = v.trim();
    },
  }),
  setting('ui.topbar.label', string, '', 'UI top bar label (e.g. the environment)', {
    apply: (c, v) => {
      c.ui.topbar.label = v.trim();
    },
  }),

  // cors
  setting('cors.enabled', boolean, false, 'answer cross-origin requests from browsers', {
    apply: (c, v) => {
      c.cors.enabled = v;
    },
  }),
  setting('cors.allowed_origins', stringList, ['*'], 'origins allowed when cors.enabled', {
    apply: (c, v) => {
      c.cors.allowedOrigins = v;
    },
  }),
  setting('cors.allowed_headers', stringList, [...DEFAULT_CORS_ALLOWED_HEADERS], 'request headers allowed', {
    apply: (c, v) => {
      c.cors.allowedHeaders = v;
    },
  }),

  // cache
  setting('cache.enabled', boolean, false, 'cache evaluations', { noEffect: CACHE_NO_EFFECT }),
  setting('cache.backend', choice(['memory', 'redis']), 'memory', 'cache store', {
    noEffect: CACHE_NO_EFFECT,
  }),
  setting('cache.ttl', duration(), 60_000, 'cache entry lifetime', { noEffect: CACHE_NO_EFFECT }),
  setting('cache.memory.enabled', boolean, false, 'in-memory cache', { noEffect: CACHE_NO_EFFECT }),
  setting('cache.memory.eviction_interval', duration(), 300_000, 'eviction period', {
    noEffect: CACHE_NO_EFFECT,
  }),
  setting('cache.memory.expiration', duration(), 60_000, 'entry lifetime', { noEffect: CACHE_NO_EFFECT }),
  setting('cache.redis.host', string, 'localhost', 'redis host', { noEffect: CACHE_NO_EFFECT }),
  setting('cache.redis.port', port, 6379, 'redis port', { noEffect: CACHE_NO_EFFECT }),
  setting('cache.redis.require_tls', boolean, false, 'redis over TLS', { noEffect: CACHE_NO_EFFECT }),
  setting('cache.redis.username', string, '', 'redis user', { noEffect: CACHE_NO_EFFECT }),
  setting('cache.redis.password', string, '', 'redis password', { noEffect: CACHE_NO_EFFECT, secret: true }),
  setting('cache.redis.db', integer(0, 1_000_000), 0, 'redis database', { noEffect: CACHE_NO_EFFECT }),
  setting('cache.redis.prefix', string, '', 'redis key prefix', { noEffect: CACHE_NO_EFFECT }),
  setting('cache.redis.pool_size', integer(0, 1_000_000), 0, 'redis pool size', {
    noEffect: CACHE_NO_EFFECT,
  }),
  setting('cache.redis.min_idle_conn', integer(0, 1_000_000), 0, 'redis idle connections', {
    noEffect: CACHE_NO_EFFECT,
  }),
  setting('cache.redis.conn_max_idle_time', duration({ zero: true }), 0, 'redis idle time', {
    noEffect: CACHE_NO_EFFECT,
  }),
  setting('cache.redis.net_timeout', duration({ zero: true }), 0, 'redis timeout', {
    noEffect: CACHE_NO_EFFECT,
  }),
  setting('cache.redis.ca_cert_path', string, '', 'redis CA file', { noEffect: CACHE_NO_EFFECT }),
  setting('cache.redis.ca_cert_bytes', string, '', 'redis CA', { noEffect: CACHE_NO_EFFECT }),
  setting('cache.redis.insecure_skip_tls', boolean, false, 'skip redis TLS checks', {
    noEffect: CACHE_NO_EFFECT,
  }),
  setting('cache.redis.mode', choice(['single', 'cluster']), 'single', 'redis mode', {
    noEffect: CACHE_NO_EFFECT,
  }),

  // server
  setting('server.protocol', choice(['http', 'https']), 'http', 'http or https', {
    apply: (c, v) => {
      c.server.protocol = v;
    },
  }),
  setting('server.host', nonEmptyString, '0.0.0.0', 'address to listen on', {
    apply: (c, v) => {
      c.server.host = v;
    },
  }),
  setting('server.http_port', port, 8080, 'HTTP port (0: any free port)', {
    apply: (c, v) => {
      c.server.httpPort = v;
    },
  }),
  setting('server.https_port', port, 443, 'HTTPS port', {
    apply: (c, v) => {
      c.server.httpsPort = v;
    },
  }),
  setting('server.grpc_port', port, 9000, 'gRPC port (0: any free port)', {
    apply: (c, v) => {
      c.server.grpcPort = v;
    },
  }),
  setting('server.max_body_bytes', byteSize, DEFAULT_MAX_BODY_BYTES, 'Ensign: largest request body', {
    apply: (c, v) => {
      c.server.maxBodyBytes = v;
    },
  }),
  ...limitSettings(),
  setting(
    'server.shutdown_grace_period',
    duration({ zero: true }),
    5_000,
    'Ensign: how long SIGTERM waits for requests in flight before closing connections',
    {
      apply: (c, v) => {
        c.server.shutdownGracePeriodMs = v;
      },
    },
  ),
  setting('server.cert_file', string, '', 'TLS certificate file', {
    apply: (c, v) => {
      c.server.certFile = v;
    },
  }),
  setting('server.cert_key', string, '', 'TLS private key file', {
    apply: (c, v) => {
      c.server.certKey = v;
    },
  }),
  setting('server.grpc_conn_max_idle_time', duration({ zero: true }), 0, 'close idle gRPC connections after'),
  setting('server.grpc_conn_max_age', duration({ zero: true }), 0, 'close gRPC connections after'),
  setting(
    'server.grpc_conn_max_age_grace',
    duration({ zero: true }),
    0,
    'grace before closing old connections',
  ),

  // db
  setting('db.url', nonEmptyString, undefined, 'database URL: file:, libsql:, postgres://, mysql://...', {
    defaultNote: 'an embedded SQLite file under /var/opt/ensign or ~/.config/ensign',
    apply: (c, v) => {
      c.db.url = v;
    },
  }),
  setting('db.auth_token', string, '', 'libSQL / Turso auth token', {
    secret: true,
    apply: (c, v) => {
      c.db.authToken = v;
    },
  }),
  setting('db.poll_interval', duration(), 300, 'Ensign: how often a replica looks for writes by others', {
    apply: (c, v) => {
      c.db.pollIntervalMs = v;
    },
  }),
  setting(
    'db.connect_timeout',
    duration(),
    2_000,
    'Ensign: wait for a connection before the database counts as down',
    {
      apply: (c, v) => {
        c.db.connectTimeoutMs = v;
      },
    },
  ),
  setting('db.query_timeout', duration(), 5_000, 'Ensign: a statement running longer drops its connection', {
    apply: (c, v) => {
      c.db.queryTimeoutMs = v;
    },
  }),
  setting(
    'db.snapshot_path',
    string,
    '',
    'Ensign: file the last loaded flags are saved to, served when a start finds the database down',
    {
      defaultNote: 'beside a SQLite file, else ~/.cache/ensign/snapshot-<id>.json',
      apply: (c, v) => {
        c.db.snapshotPath = v.trim();
      },
    },
  ),
  setting(
    'db.protocol',
    choice(['sqlite', 'file', 'libsql', 'postgres', 'mysql', 'cockroach', 'cockroachdb']),
    undefined,
    'with db.host, db.name...: builds the URL when db.url is not set',
    {
      defaultNote: 'not set',
      apply: (c, v) => {
        c.db.protocol = v;
      },
    },
  ),
  setting('db.host', string, undefined, 'database host (with db.protocol)', {
    defaultNote: 'not set',
    apply: (c, v) => {
      c.db.host = v;
    },
  }),
  setting('db.port', port, undefined, 'database port (with db.protocol)', {
    defaultNote: 'not set',
    apply: (c, v) => {
      c.db.port = v;
    },
  }),
  setting('db.name', string, undefined, 'database name (with db.protocol)', {
    defaultNote: 'not set',
    apply: (c, v) => {
      c.db.name = v;
    },
  }),
  setting('db.user', string, undefined, 'database user (with db.protocol)', {
    defaultNote: 'not set',
    apply: (c, v) => {
      c.db.user = v;
    },
  }),
  setting('db.password', string, undefined, 'database password (with db.protocol)', {
    defaultNote: 'not set',
    secret: true,
    apply: (c, v) => {
      c.db.password = v;
    },
  }),
  setting('db.max_idle_conn', integer(0, 100_000), 2, 'idle connections kept in the pool'),
  setting('db.max_open_conn', integer(0, 100_000), 0, 'most connections in the pool (0: no limit)'),
  setting('db.conn_max_lifetime', duration({ zero: true }), 0, 'close connections older than this'),
  setting('db.prepared_statements_enabled', boolean, true, 'use prepared statements'),

  // storage
  setting(
    'storage.type',
    choice(['database', 'local', 'git', 'object', 'oci']),
    'database',
    'where flags live',
    {
      apply: (c, v) => {
        c.storage.type = v;
      },
      refuse: (v) =>
        storageTypeKeys(v)
          ? undefined
          : `"${v}" ${NOT_YET} (supported: ${STORAGE_TYPES.map((t) => t.type).join(', ')})`,
    },
  ),
  setting('storage.read_only', boolean, false, 'refuse writes through the API', {
    apply: (c, v) => {
      c.storage.readOnly = v;
    },
  }),
  setting(
    'storage.local.path',
    nonEmptyString,
    undefined,
    'directory of feature files (storage.type local)',
    {
      defaultNote: `the bundled examples (${BUNDLED_EXAMPLES_PATH})`,
      apply: (c, v) => {
        c.storage.local.path = v;
      },
    },
  ),
  setting(
    'storage.local.poll_interval',
    duration(),
    5_000,
    'Ensign: fallback re-read period for local files',
    {
      apply: (c, v) => {
        c.storage.local.pollIntervalMs = v;
      },
    },
  ),
  // storage.git.*, storage.oci.*, storage.object.*: each backend owns its keys (config/storage/).
  ...STORAGE_TYPE_SETTINGS,

  // metrics
  setting('metrics.enabled', boolean, true, 'serve Prometheus metrics on /metrics', {
    apply: (c, v) => {
      c.metrics.enabled = v;
    },
  }),
  setting('metrics.exporter', choice(['prometheus', 'otlp']), 'prometheus', 'metrics exporter'),
  setting('metrics.otlp.endpoint', string, 'localhost:4317', 'OTLP endpoint'),
  setting('metrics.otlp.headers', stringMap, {}, 'OTLP headers', { secret: true }),

  // tracing
  setting('tracing.enabled', boolean, false, 'export traces (OTLP over HTTP)', {
    apply: (c, v) => {
      c.tracing.enabled = v;
    },
  }),
  setting('tracing.exporter', choice(['jaeger', 'zipkin', 'otlp']), 'otlp', 'Ensign: OTLP over HTTP only', {
    apply: (c, v) => {
      c.tracing.exporter = v;
    },
    refuse: (v) => (v === 'otlp' ? undefined : `"${v}" ${NOT_YET} (supported: otlp)`),
  }),
  setting('tracing.sampling_ratio', number, 1, 'share of new traces recorded (0 to 1)', {
    apply: (c, v) => {
      c.tracing.samplingRatio = v;
    },
    refuse: (v) => (v >= 0 && v <= 1 ? undefined : `must be between 0 and 1, got ${v}`),
  }),
  setting('tracing.propagators', stringList, ['tracecontext', 'baggage'], 'tracecontext, baggage or none', {
    apply: (c, v) => {
      c.tracing.propagators = v;
    },
  }),
  setting('tracing.jaeger.enabled', boolean, false, 'jaeger exporter'),
  setting('tracing.jaeger.host', string, 'localhost', 'jaeger host'),
  setting('tracing.jaeger.port', port, 6831, 'jaeger port'),
  setting('tracing.zipkin.endpoint', string, 'http://localhost:9411/api/v2/spans', 'zipkin endpoint'),
  setting('tracing.otlp.endpoint', string, 'http://localhost:4318', 'Ensign: the OTLP/HTTP endpoint', {
    apply: (c, v) => {
      c.tracing.otlp.endpoint = v;
    },
  }),
  setting('tracing.otlp.headers', stringMap, {}, 'OTLP headers', {
    secret: true,
    apply: (c, v) => {
      c.tracing.otlp.headers = v;
    },
  }),

  // meta, diagnostics
  setting('meta.check_for_updates', boolean, true, 'check for new releases', { noEffect: META_NO_EFFECT }),
  setting('meta.telemetry_enabled', boolean, true, 'send anonymous telemetry', { noEffect: META_NO_EFFECT }),
  setting('meta.state_directory', string, '', 'where telemetry state is kept', { noEffect: META_NO_EFFECT }),
  setting('diagnostics.profiling.enabled', boolean, true, 'serve Go pprof profiles', {
    noEffect: 'Ensign is not a Go program; use node --inspect or --cpu-prof to profile it',
  }),

  // authentication
  setting('authentication.required', boolean, false, 'require a credential on every request', {
    apply: (c, v) => {
      c.authentication.required = v;
    },
  }),
  setting('authentication.exclude.management', boolean, false, 'no credential for the management API', {
    apply: (c, v) => {
      c.authentication.exclude.management = v;
    },
  }),
  setting('authentication.exclude.evaluation', boolean, false, 'no credential for evaluation', {
    apply: (c, v) => {
      c.authentication.exclude.evaluation = v;
    },
  }),
  setting('authentication.exclude.ofrep', boolean, false, 'no credential for OFREP', {
    apply: (c, v) => {
      c.authentication.exclude.ofrep = v;
    },
  }),
  setting('authentication.exclude.metadata', boolean, false, 'deprecated, ignored by Flipt', {
    noEffect: 'deprecated and ignored by Flipt too: /meta always needs a credential when one is required',
  }),
  setting(
    'authentication.session.domain',
    string,
    '',
    'session cookie domain (required with oidc or github)',
    {
      apply: (c, v) => {
        c.authentication.session.domain = v;
      },
    },
  ),
  setting('authentication.session.secure', boolean, false, 'session cookies only over HTTPS', {
    apply: (c, v) => {
      c.authentication.session.secure = v;
    },
  }),
  setting('authentication.session.token_lifetime', duration(), 86_400_000, 'how long a browser login lasts', {
    apply: (c, v) => {
      c.authentication.session.tokenLifetimeMs = v;
    },
  }),
  setting(
    'authentication.session.state_lifetime',
    duration(),
    600_000,
    'time to finish a login at the provider',
    {
      apply: (c, v) => {
        c.authentication.session.stateLifetimeMs = v;
      },
    },
  ),
  setting('authentication.session.csrf.key', string, '', 'CSRF key', {
    secret: true,
    apply: (c, v) => {
      c.authentication.session.csrf.key = v;
    },
  }),
  setting('authentication.session.csrf.secure', boolean, false, 'secure CSRF cookie', {
    noEffect: "Flipt's cross-origin protection (Origin and Sec-Fetch-Site checks) sets no CSRF cookie",
  }),
  setting('authentication.session.csrf.trusted_origins', stringList, [], 'origins trusted by CSRF checks', {
    apply: (c, v) => {
      c.authentication.session.csrf.trustedOrigins = v;
    },
  }),
  setting('authentication.methods.token.enabled', boolean, false, 'static client tokens', {
    apply: (c, v) => {
      c.authentication.methods.token.enabled = v;
    },
  }),
  setting(
    'authentication.methods.token.cleanup.interval',
    duration(),
    3_600_000,
    'how often expired tokens are deleted',
    {
      apply: (c, v) => {
        c.authentication.methods.token.cleanup.intervalMs = v;
      },
    },
  ),
  setting(
    'authentication.methods.token.cleanup.grace_period',
    duration(),
    1_800_000,
    'how long an expired token is kept',
    {
      apply: (c, v) => {
        c.authentication.methods.token.cleanup.gracePeriodMs = v;
      },
    },
  ),
  setting('authentication.methods.token.bootstrap.token', string, '', 'initial token', {
    secret: true,
    apply: (c, v) => {
      c.authentication.methods.token.bootstrap.token = v;
    },
  }),
  setting(
    'authentication.methods.token.bootstrap.expiration',
    duration({ zero: true }),
    0,
    'initial token expiry',
    {
      apply: (c, v) => {
        c.authentication.methods.token.bootstrap.expirationMs = v;
      },
    },
  ),
  setting('authentication.methods.token.bootstrap.metadata', stringMap, {}, 'initial token metadata', {
    apply: (c, v) => {
      c.authentication.methods.token.bootstrap.metadata = v;
    },
  }),
  setting('authentication.methods.oidc.enabled', boolean, false, 'OpenID Connect login', {
    apply: (c, v) => {
      c.authentication.methods.oidc.enabled = v;
    },
  }),
  ...cleanup('authentication.methods.oidc', (c) => c.authentication.methods.oidc.cleanup),
  setting('authentication.methods.oidc.email_matches', stringList, [], 'allowed e-mail patterns', {
    apply: (c, v) => {
      c.authentication.methods.oidc.emailMatches = v;
    },
  }),
  setting('authentication.methods.oidc.providers.*.issuer_url', string, '', 'OIDC issuer', {
    apply: (c, v, _raw, key) => {
      oidcProvider(c, key).issuerUrl = v;
    },
  }),
  setting('authentication.methods.oidc.providers.*.client_id', string, '', 'OIDC client id', {
    apply: (c, v, _raw, key) => {
      oidcProvider(c, key).clientId = v;
    },
  }),
  setting('authentication.methods.oidc.providers.*.client_secret', string, '', 'OIDC client secret', {
    secret: true,
    apply: (c, v, _raw, key) => {
      oidcProvider(c, key).clientSecret = v;
    },
  }),
  setting('authentication.methods.oidc.providers.*.redirect_address', string, '', 'OIDC redirect address', {
    apply: (c, v, _raw, key) => {
      oidcProvider(c, key).redirectAddress = v;
    },
  }),
  setting('authentication.methods.oidc.providers.*.nonce', string, '', 'OIDC nonce', {
    secret: true,
    apply: (c, v, _raw, key) => {
      oidcProvider(c, key).nonce = v;
    },
  }),
  setting('authentication.methods.oidc.providers.*.scopes', stringList, [], 'OIDC scopes', {
    apply: (c, v, _raw, key) => {
      oidcProvider(c, key).scopes = v;
    },
  }),
  setting('authentication.methods.oidc.providers.*.use_pkce', boolean, false, 'OIDC PKCE', {
    apply: (c, v, _raw, key) => {
      oidcProvider(c, key).usePkce = v;
    },
  }),
  setting('authentication.methods.github.enabled', boolean, false, 'GitHub login', {
    apply: (c, v) => {
      c.authentication.methods.github.enabled = v;
    },
  }),
  ...cleanup('authentication.methods.github', (c) => c.authentication.methods.github.cleanup),
  setting('authentication.methods.github.server_url', string, '', 'GitHub server', {
    apply: (c, v) => {
      c.authentication.methods.github.serverUrl = v || 'https://github.com';
    },
  }),
  setting('authentication.methods.github.api_url', string, '', 'GitHub API', {
    apply: (c, v) => {
      c.authentication.methods.github.apiUrl = v || 'https://api.github.com';
    },
  }),
  setting('authentication.methods.github.client_id', string, '', 'GitHub client id', {
    apply: (c, v) => {
      c.authentication.methods.github.clientId = v;
    },
  }),
  setting('authentication.methods.github.client_secret', string, '', 'GitHub client secret', {
    secret: true,
    apply: (c, v) => {
      c.authentication.methods.github.clientSecret = v;
    },
  }),
  setting('authentication.methods.github.redirect_address', string, '', 'GitHub redirect address', {
    apply: (c, v) => {
      c.authentication.methods.github.redirectAddress = v;
    },
  }),
  setting('authentication.methods.github.scopes', stringList, [], 'GitHub scopes', {
    apply: (c, v) => {
      c.authentication.methods.github.scopes = v;
    },
  }),
  setting('authentication.methods.github.allowed_organizations', stringList, [], 'allowed organisations', {
    apply: (c, v) => {
      c.authentication.methods.github.allowedOrganizations = v;
    },
  }),
  setting('authentication.methods.github.allowed_teams', teamLists, {}, 'allowed teams per organisation', {
    apply: (c, v) => {
      c.authentication.methods.github.allowedTeams = v;
    },
  }),
  setting('authentication.methods.kubernetes.enabled', boolean, false, 'Kubernetes service accounts', {
    apply: (c, v) => {
      c.authentication.methods.kubernetes.enabled = v;
    },
  }),
  ...cleanup('authentication.methods.kubernetes', (c) => c.authentication.methods.kubernetes.cleanup),
  setting(
    'authentication.methods.kubernetes.discovery_url',
    string,
    'https://kubernetes.default.svc.cluster.local',
    'Kubernetes API',
    {
      apply: (c, v) => {
        c.authentication.methods.kubernetes.discoveryUrl = v.trim();
      },
    },
  ),
  setting(
    'authentication.methods.kubernetes.ca_path',
    string,
    '/var/run/secrets/kubernetes.io/serviceaccount/ca.crt',
    'Kubernetes CA',
    {
      apply: (c, v) => {
        c.authentication.methods.kubernetes.caPath = v;
      },
    },
  ),
  setting(
    'authentication.methods.kubernetes.service_account_token_path',
    string,
    '/var/run/secrets/kubernetes.io/serviceaccount/token',
    'service account token file',
    {
      apply: (c, v) => {
        c.authentication.methods.kubernetes.serviceAccountTokenPath = v;
      },
    },
  ),
  setting(
    'authentication.methods.kubernetes.audiences',
    stringList,
    [],
    'Ensign: audiences a service-account token must carry (empty: not checked)',
    {
      apply: (c, v) => {
        c.authentication.methods.kubernetes.audiences = v;
      },
    },
  ),
  setting('authentication.methods.jwt.enabled', boolean, false, 'JWT bearer tokens', {
    apply: (c, v) => {
      c.authentication.methods.jwt.enabled = v;
    },
  }),
  setting('authentication.methods.jwt.validate_claims.issuer', string, '', 'required issuer', {
    apply: (c, v) => {
      c.authentication.methods.jwt.validateClaims.issuer = v;
    },
  }),
  setting('authentication.methods.jwt.validate_claims.subject', string, '', 'required subject', {
    apply: (c, v) => {
      c.authentication.methods.jwt.validateClaims.subject = v;
    },
  }),
  setting('authentication.methods.jwt.validate_claims.audiences', stringList, [], 'accepted audiences', {
    apply: (c, v) => {
      c.authentication.methods.jwt.validateClaims.audiences = v;
    },
  }),
  setting('authentication.methods.jwt.jwks_url', string, '', 'JWKS URL', {
    apply: (c, v) => {
      c.authentication.methods.jwt.jwksUrl = v;
    },
  }),
  setting('authentication.methods.jwt.public_key_file', string, '', 'public key file', {
    apply: (c, v) => {
      c.authentication.methods.jwt.publicKeyFile = v;
    },
  }),

  // authorization
  setting('authorization.required', boolean, false, 'check every request against a policy', {
    apply: (c, v) => {
      c.authorization.required = v;
    },
  }),
  setting('authorization.backend', choice(['local', 'object', 'bundle']), 'local', 'where the policy lives', {
    // Nothing to store: local is the only backend, and `refuse` names the others.
    apply: () => {},
    refuse: (v) => (v !== 'local' ? `"${v}" ${NOT_YET} (supported: local)` : undefined),
  }),
  setting(
    'authorization.local.policy.path',
    string,
    '',
    'policy file (Ensign: declarative roles, see docs/authentication.md)',
    {
      apply: (c, v) => {
        c.authorization.policyPath = v;
      },
    },
  ),
  setting('authorization.local.policy.poll_interval', duration(), 300_000, 'policy reload period', {
    apply: (c, v) => {
      c.authorization.pollIntervalMs = v;
    },
  }),
  setting('authorization.local.data.path', string, '', 'policy data file'),
  setting('authorization.local.data.poll_interval', duration(), 300_000, 'data reload period'),
  setting('authorization.object.type', choice(['s3']), '', 'policy object store'),
  setting('authorization.object.s3.region', string, '', 'S3 region'),
  setting('authorization.object.s3.bucket', string, '', 'S3 bucket'),
  setting('authorization.object.s3.prefix', string, '', 'S3 prefix'),
  setting('authorization.object.s3.endpoint', string, '', 'S3 endpoint'),
  setting('authorization.bundle.configuration', string, '', 'OPA bundle configuration'),

  // audit
  setting('audit.sinks.log.enabled', boolean, false, 'audit events to a log', {
    apply: (c, v) => {
      c.audit.sinks.log.enabled = v;
    },
  }),
  setting('audit.sinks.log.file', string, '', 'audit log file', {
    apply: (c, v) => {
      c.audit.sinks.log.file = v;
    },
  }),
  setting('audit.sinks.log.encoding', choice(['console', 'json']), '', 'audit log encoding', {
    // Events are always JSON lines; `refuse` says so for console.
    apply: () => {},
    refuse: (v) => (v === 'console' ? `"console" ${NOT_YET} (events are written as JSON lines)` : undefined),
  }),
  setting('audit.sinks.webhook.enabled', boolean, false, 'audit events to a webhook', {
    apply: (c, v) => {
      c.audit.sinks.webhook.enabled = v;
    },
  }),
  setting('audit.sinks.webhook.url', string, '', 'webhook URL', {
    apply: (c, v) => {
      c.audit.sinks.webhook.url = v;
    },
  }),
  setting('audit.sinks.webhook.max_backoff_duration', duration(), 15_000, 'longest retry wait', {
    apply: (c, v) => {
      c.audit.sinks.webhook.maxBackoffMs = v;
    },
  }),
  setting('audit.sinks.webhook.signing_secret', string, '', 'HMAC signing secret', {
    secret: true,
    apply: (c, v) => {
      c.audit.sinks.webhook.signingSecret = v;
    },
  }),
  setting('audit.sinks.webhook.templates', webhookTemplates, [], 'webhook bodies from templates', {
    apply: (c, v) => {
      c.audit.sinks.webhook.templates = v;
    },
  }),
  setting(
    'audit.sinks.database.enabled',
    boolean,
    false,
    "Ensign: keep events in the database, served as each flag's history",
    {
      apply: (c, v) => {
        c.audit.sinks.database.enabled = v;
      },
    },
  ),
  setting(
    'audit.sinks.database.retention',
    duration(),
    90 * 24 * 3_600_000,
    'Ensign: how long events are kept',
    {
      apply: (c, v) => {
        c.audit.sinks.database.retentionMs = v;
      },
    },
  ),
  setting(
    'audit.sinks.database.max_events',
    integer(1, 100_000_000),
    100_000,
    'Ensign: most events kept (the oldest go first)',
    {
      apply: (c, v) => {
        c.audit.sinks.database.maxEvents = v;
      },
    },
  ),
  setting('audit.sinks.kafka.enabled', boolean, false, 'audit events to Kafka'),
  setting('audit.sinks.kafka.topic', string, '', 'Kafka topic'),
  setting('audit.sinks.kafka.bootstrap_servers', stringList, [], 'Kafka brokers'),
  setting('audit.sinks.kafka.encoding', choice(['protobuf', 'avro']), 'protobuf', 'Kafka encoding'),
  setting('audit.sinks.kafka.schema_registry.url', string, '', 'schema registry'),
  setting('audit.sinks.kafka.require_tls', boolean, false, 'Kafka over TLS'),
  setting('audit.sinks.kafka.insecure_skip_tls', boolean, false, 'skip Kafka TLS checks'),
  setting('audit.sinks.kafka.authentication.username', string, '', 'Kafka user'),
  setting('audit.sinks.kafka.authentication.password', string, '', 'Kafka password', { secret: true }),
  setting('audit.buffer.capacity', integer(0, 1_000_000), 2, 'events per batch', {
    apply: (c, v) => {
      c.audit.buffer.capacity = Math.max(1, v);
    },
  }),
  setting('audit.buffer.flush_period', duration(), 120_000, 'batch period', {
    apply: (c, v) => {
      c.audit.buffer.flushPeriodMs = v;
    },
  }),
  setting('audit.events', stringList, ['*:*'], 'events to record (<noun>:<verb>)', {
    apply: (c, v) => {
      c.audit.events = v;
    },
  }),

  // analytics
  setting('analytics.storage.clickhouse.enabled', boolean, false, 'evaluation analytics in ClickHouse'),
  setting('analytics.storage.clickhouse.url', string, '', 'ClickHouse URL'),
  setting('analytics.storage.prometheus.enabled', boolean, false, 'analytics from Prometheus'),
  setting('analytics.storage.prometheus.url', string, '', 'Prometheus URL'),
  setting('analytics.storage.prometheus.headers', stringMap, {}, 'Prometheus headers', { secret: true }),
  setting('analytics.buffer.flush_period', duration(), 10_000, 'analytics batch period'),

  setting('experimental', opaque, {}, 'experimental features'),
]);
