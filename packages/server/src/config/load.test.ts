// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests write Flipt's literal ${VAR} syntax.
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError } from './config-error.ts';
import { BUNDLED_EXAMPLES_PATH, DEFAULT_CORS_ALLOWED_HEADERS } from './defaults.ts';
import { loadConfig, resolveConfig } from './load.ts';

const cwd = '/srv/app';
const resolveWith = (document: unknown, env: Record<string, string> = {}) =>
  resolveConfig(document, { env, cwd }).config;

function writeConfig(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ensign-config-')), 'config.yml');
  writeFileSync(path, text);
  return path;
}

function assertConfigError(run: () => unknown, key: string | undefined, pattern: RegExp): void {
  assert.throws(run, (error: unknown) => {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    assert.equal(error.key, key);
    assert.match(error.message, /^invalid config: /);
    assert.match(error.message, pattern);
    return true;
  });
}

describe('config defaults', () => {
  it('serves an embedded SQLite database over HTTP 8080 when nothing is configured', () => {
    const { config, path, warnings } = loadConfig({ env: {}, cwd });
    assert.equal(path, undefined);
    assert.deepEqual(warnings, []);
    assert.equal(config.server.host, '0.0.0.0');
    assert.equal(config.server.httpPort, 8080);
    assert.equal(config.server.grpcPort, 9000);
    assert.equal(config.server.maxBodyBytes, 4 * 1024 * 1024);
    const { backends, ...storage } = config.storage;
    assert.deepEqual(storage, {
      type: 'database',
      readOnly: false,
      local: { path: BUNDLED_EXAMPLES_PATH, pollIntervalMs: 5000 },
    });
    assert.deepEqual(Object.keys(backends ?? {}), ['git', 'oci', 'object']);
    assert.match(config.db.url, /^file:\/.+\/ensign\/ensign\.db$/);
    assert.equal(config.db.pollIntervalMs, 300);
    assert.deepEqual(config.log, { level: 'info', encoding: 'console', access: false });
    assert.equal(config.cors.enabled, false);
    assert.deepEqual(config.cors.allowedOrigins, ['*']);
    assert.ok(config.cors.allowedHeaders.includes('X-Flipt-Namespace'));
    assert.ok(config.cors.allowedHeaders.includes('X-Flipt-Environment'));
    assert.ok(config.cors.allowedHeaders.includes('If-None-Match'));
  });

  it('hands out independent copies, so one caller cannot change another caller’s defaults', () => {
    const first = resolveWith({});
    first.cors.allowedHeaders.push('X-Mine');
    assert.deepEqual(resolveWith({}).cors.allowedHeaders, DEFAULT_CORS_ALLOWED_HEADERS);
  });
});

describe('config file', () => {
  it('reads Flipt config.yml keys', () => {
    const path = writeConfig(`
version: "1.0"
log:
  level: DEBUG
  encoding: json
cors:
  enabled: true
  allowed_origins: ["https://app.example.com"]
server:
  host: 127.0.0.1
  http_port: 8181
  grpc_port: 9191
storage:
  type: local
  read_only: true
  local:
    path: ./flags
    poll_interval: 1m30s
`);
    const { config } = loadConfig({ path, env: {}, cwd });
    assert.equal(config.log.level, 'debug');
    assert.equal(config.log.encoding, 'json');
    assert.equal(config.cors.enabled, true);
    assert.deepEqual(config.cors.allowedOrigins, ['https://app.example.com']);
    assert.equal(config.server.host, '127.0.0.1');
    assert.equal(config.server.httpPort, 8181);
    assert.equal(config.server.grpcPort, 9191);
    assert.equal(config.storage.local.path, '/srv/app/flags');
    assert.equal(config.storage.local.pollIntervalMs, 90_000);
  });

  it('accepts Flipt keys Ensign lacks when they are set to their defaults', () => {
    const { config, warnings } = resolveConfig(
      {
        version: '1.0',
        db: { url: 'file:/var/opt/flipt/flipt.db', max_idle_conn: 2 },
        cache: { enabled: false, backend: 'memory' },
        tracing: { enabled: false },
        meta: { check_for_updates: false },
        authentication: { required: false, methods: { token: { enabled: false } } },
        server: { cert_file: '' },
        storage: { type: 'local', git: { repository: '' } },
      },
      { env: {}, cwd },
    );
    assert.equal(config.server.httpPort, 8080);
    assert.deepEqual(warnings, []);
  });

  it('treats an empty file as all defaults', () => {
    assert.equal(loadConfig({ path: writeConfig(''), env: {}, cwd }).config.server.httpPort, 8080);
  });

  it('names the file and line of a YAML syntax error', () => {
    const path = writeConfig('server:\n  http_port: 8080\n   host: x\n');
    assertConfigError(
      () => loadConfig({ path, env: {}, cwd }),
      undefined,
      new RegExp(`${path}:2: Nested mappings are not allowed in compact mappings$`),
    );
  });

  it('says so when the file does not exist', () => {
    assertConfigError(
      () => loadConfig({ path: '/nope/config.yml', env: {}, cwd }),
      undefined,
      /"\/nope\/config.yml": no such file/,
    );
  });

  it('supports port 0 (any free port) for tests', () => {
    assert.equal(resolveWith({ server: { http_port: 0 } }).server.httpPort, 0);
  });

  it('reads server.shutdown_grace_period as a duration, a few seconds by default', () => {
    assert.equal(resolveWith({}).server.shutdownGracePeriodMs, 5000);
    assert.equal(
      resolveWith({ server: { shutdown_grace_period: '30s' } }).server.shutdownGracePeriodMs,
      30_000,
    );
    assert.throws(
      () => resolveWith({ server: { shutdown_grace_period: 'soon' } }),
      /server\.shutdown_grace_period must be a duration/,
    );
  });

  it('reads byte sizes and whitespace-separated lists', () => {
    const config = resolveWith({
      server: { max_body_bytes: '1MiB' },
      cors: { allowed_origins: 'https://a https://b' },
    });
    assert.equal(config.server.maxBodyBytes, 1_048_576);
    assert.deepEqual(config.cors.allowedOrigins, ['https://a', 'https://b']);
  });
});

describe('config validation names the key', () => {
  const cases: [string, unknown, string, RegExp][] = [
    [
      'http port text',
      { server: { http_port: 'abc' } },
      'server.http_port',
      /server\.http_port must be an integer between 1 and 65535.*\(got "abc"\)/,
    ],
    ['http port range', { server: { http_port: 70000 } }, 'server.http_port', /\(got 70000\)/],
    ['grpc port', { server: { grpc_port: -1 } }, 'server.grpc_port', /server\.grpc_port must be an integer/],
    [
      'log level',
      { log: { level: 'loud' } },
      'log.level',
      /log\.level must be one of trace, debug, info, warn, error, fatal \(got "loud"\)/,
    ],
    [
      'log encoding',
      { log: { encoding: 'xml' } },
      'log.encoding',
      /log\.encoding must be one of console, json/,
    ],
    ['boolean', { cors: { enabled: 'yes please' } }, 'cors.enabled', /cors\.enabled must be true or false/],
    [
      'list',
      { cors: { allowed_origins: [1, 2] } },
      'cors.allowed_origins',
      /cors\.allowed_origins must be a list of strings/,
    ],
    [
      'duration',
      { storage: { local: { poll_interval: '5 minutes' } } },
      'storage.local.poll_interval',
      /must be a duration such as "5s"/,
    ],
    [
      'empty path',
      { storage: { local: { path: '  ' } } },
      'storage.local.path',
      /storage\.local\.path must not be empty/,
    ],
    ['section shape', { server: 8080 }, 'server', /server must be a mapping \(got 8080\)/],
    ['body size', { server: { max_body_bytes: 'lots' } }, 'server.max_body_bytes', /must be a positive size/],
    [
      'storage type',
      { storage: { type: 'floppy' } },
      'storage.type',
      /storage\.type must be one of database, local, git, object, oci/,
    ],
  ];
  for (const [name, document, key, pattern] of cases) {
    it(name, () => assertConfigError(() => resolveWith(document), key, pattern));
  }

  for (const type of [] as string[]) {
    it(`storage.type ${type} is reported as not supported yet`, () =>
      assertConfigError(
        () => resolveWith({ storage: { type } }),
        'storage.type',
        new RegExp(`storage\\.type "${type}" is not supported yet`),
      ));
  }

  it('reads the db.* keys, and names db.url when it is unusable', () => {
    const config = resolveWith({
      db: {
        url: 'postgres://flags:secret@db:5432/flags',
        auth_token: 'tok',
        poll_interval: '1s',
        connect_timeout: '3s',
        query_timeout: '1500ms',
        snapshot_path: '/var/cache/ensign/flags.json',
      },
    });
    assert.deepEqual(config.db, {
      url: 'postgres://flags:secret@db:5432/flags',
      authToken: 'tok',
      pollIntervalMs: 1000,
      connectTimeoutMs: 3000,
      queryTimeoutMs: 1500,
      snapshotPath: '/var/cache/ensign/flags.json',
    });
    assertConfigError(() => resolveWith({ db: { query_timeout: '0s' } }), 'db.query_timeout', /positive/);
    assertConfigError(
      () => resolveWith({ db: { url: 'oracle://db' } }),
      'db.url',
      /db\.url "oracle:\/\/db" is not supported/,
    );
  });

  it('reads the server.limits.* keys', () => {
    const { limits } = resolveWith({
      server: {
        limits: {
          headers_timeout: '2s',
          request_timeout: '20s',
          idle_timeout: '1m',
          max_connections: 500,
          max_concurrent_streams: 10,
          max_change_streams: 50,
          max_change_streams_per_client: 5,
        },
      },
    }).server;
    assert.deepEqual(limits, {
      headersTimeoutMs: 2000,
      requestTimeoutMs: 20_000,
      idleTimeoutMs: 60_000,
      maxConnections: 500,
      maxConcurrentStreams: 10,
      maxChangeStreams: 50,
      maxChangeStreamsPerClient: 5,
    });
    assertConfigError(
      () => resolveWith({ server: { limits: { max_connections: 0 } } }),
      'server.limits.max_connections',
      /server\.limits\.max_connections/,
    );
  });

  it('serves a database read-only when storage.read_only says so', () => {
    assert.equal(resolveWith({ storage: { read_only: true } }).storage.readOnly, true);
    assert.equal(resolveWith({ storage: { type: 'local' } }).storage.readOnly, true);
  });

  it('refuses storage.read_only: false on declarative storage', () =>
    assertConfigError(
      () => resolveWith({ storage: { type: 'local', read_only: false } }),
      'storage.read_only',
      /cannot be false/,
    ));

  it('refuses a top level that is not a mapping', () =>
    assertConfigError(() => resolveWith(['server']), undefined, /must be a mapping of keys \(got a list\)/));
});

describe('environment overrides', () => {
  it('reads ENSIGN_<KEY_PATH> and FLIPT_<KEY_PATH> over the file', () => {
    const config = resolveWith(
      { server: { http_port: 1111 }, storage: { local: { path: '/from/file' } } },
      { ENSIGN_SERVER_HTTP_PORT: '9090', FLIPT_STORAGE_LOCAL_PATH: '/x', FLIPT_LOG_LEVEL: 'warn' },
    );
    assert.equal(config.server.httpPort, 9090);
    assert.equal(config.storage.local.path, '/x');
    assert.equal(config.log.level, 'warn');
  });

  it('lets ENSIGN_ win over FLIPT_', () => {
    const config = resolveWith({}, { ENSIGN_SERVER_HTTP_PORT: '9090', FLIPT_SERVER_HTTP_PORT: '7070' });
    assert.equal(config.server.httpPort, 9090);
  });

  it('splits list values on whitespace', () => {
    const config = resolveWith({}, { ENSIGN_CORS_ALLOWED_ORIGINS: ' https://a.example  https://b.example ' });
    assert.deepEqual(config.cors.allowedOrigins, ['https://a.example', 'https://b.example']);
  });

  it('parses booleans from text', () => {
    assert.equal(resolveWith({}, { FLIPT_CORS_ENABLED: 'true' }).cors.enabled, true);
  });

  it('ignores empty variables', () => {
    assert.equal(
      resolveWith({ server: { http_port: 1234 } }, { ENSIGN_SERVER_HTTP_PORT: '' }).server.httpPort,
      1234,
    );
  });

  it('names both the key and the variable when the variable is wrong', () =>
    assertConfigError(
      () => resolveWith({}, { ENSIGN_SERVER_HTTP_PORT: 'abc' }),
      'server.http_port',
      /server\.http_port must be an integer between 1 and 65535.*\(got "abc"\) \(set by ENSIGN_SERVER_HTTP_PORT\)/,
    ));
});

describe('${VAR} substitution', () => {
  it('replaces a value of exactly that form', () => {
    const config = resolveWith(
      { storage: { local: { path: '${FLAGS_DIR}' } }, server: { http_port: '${PORT}' } },
      { FLAGS_DIR: '/data/flags', PORT: '8282' },
    );
    assert.equal(config.storage.local.path, '/data/flags');
    assert.equal(config.server.httpPort, 8282);
  });

  it('leaves other strings alone', () => {
    assert.equal(resolveWith({ storage: { local: { path: '/a/${B}/c' } } }).storage.local.path, '/a/${B}/c');
  });

  it('names the key and the variable when it is not set', () =>
    assertConfigError(
      () => resolveWith({ server: { host: '${BIND_HOST}' } }),
      'server.host',
      /server\.host refers to \$\{BIND_HOST\}, but BIND_HOST is not set/,
    ));
});
