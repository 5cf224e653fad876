import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './config-error.ts';
import { resolveConfig } from './load.ts';

// Nothing fails open: a key Ensign does not know, a value of the wrong type, or a feature
// Ensign does not implement yet stops the server with a message naming the key.

const cwd = '/srv/app';
const resolveWith = (document: unknown, env: Record<string, string> = {}) =>
  resolveConfig(document, { env, cwd });

function refuses(
  document: unknown,
  env: Record<string, string>,
  key: string | undefined,
  pattern: RegExp,
): void {
  assert.throws(
    () => resolveWith(document, env),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
      assert.equal(error.key, key);
      assert.match(error.message, pattern);
      return true;
    },
  );
}

describe('unknown keys', () => {
  const cases: [string, unknown, string, RegExp][] = [
    ['nested typo', { storage: { tpye: 'local' } }, 'storage.tpye', /did you mean storage\.type\?/],
    ['log typo', { log: { levle: 'debug' } }, 'log.levle', /did you mean log\.level\?/],
    ['top-level typo', { sever: { http_port: 1 } }, 'sever', /did you mean server\?/],
    [
      'deep typo',
      { storage: { local: { pth: '/x' } } },
      'storage.local.pth',
      /did you mean storage\.local\.path\?/,
    ],
    [
      'typo in a section Ensign lacks',
      { authentication: { methods: { tokn: { enabled: false } } } },
      'authentication.methods.tokn',
      /did you mean authentication\.methods\.token\?/,
    ],
    [
      'no close match',
      { server: { banana: 1 } },
      'server.banana',
      /known keys under server: protocol, host, http_port/,
    ],
  ];
  for (const [name, document, key, pattern] of cases) {
    it(name, () =>
      refuses(
        document,
        {},
        key,
        new RegExp(`unknown config key ${key.replaceAll('.', '\\.')} .*${pattern.source}`),
      ),
    );
  }

  it('names a mis-spelt environment variable and suggests the right one', () =>
    refuses(
      {},
      { ENSIGN_STORAGE_TPYE: 'local' },
      undefined,
      /ENSIGN_STORAGE_TPYE names no config key \(did you mean ENSIGN_STORAGE_TYPE\?\)/,
    ));

  it('leaves alone variables that are not config (FLIPT_FIXTURES_DIR, FLIPT_VERSION, ENSIGN_DEBUG)', () => {
    const { config } = resolveWith(
      {},
      { FLIPT_FIXTURES_DIR: '/x', FLIPT_VERSION: 'v1.47.0', ENSIGN_DEBUG: '1' },
    );
    assert.equal(config.server.httpPort, 8080);
  });
});

describe('keys Ensign does not implement yet', () => {
  const cases: [unknown, string][] = [
    [{ authorization: { local: { data: { path: '/etc/data.json' } } } }, 'authorization.local.data.path'],
    [{ audit: { sinks: { kafka: { enabled: true } } } }, 'audit.sinks.kafka.enabled'],
    [{ tracing: { jaeger: { enabled: true } } }, 'tracing.jaeger.enabled'],
    [
      { storage: { git: { authentication: { ssh: { private_key_path: '/k' } } } } },
      'storage.git.authentication.ssh.private_key_path',
    ],
    [{ db: { max_open_conn: 5 } }, 'db.max_open_conn'],
    [{ analytics: { storage: { clickhouse: { enabled: true } } } }, 'analytics.storage.clickhouse.enabled'],
    [{ log: { file: '/var/log/ensign.log' } }, 'log.file'],
  ];
  for (const [document, key] of cases) {
    it(key, () =>
      refuses(
        document,
        {},
        key,
        new RegExp(`^invalid config: ${key.replaceAll('.', '\\.')} .*not supported yet`),
      ),
    );
  }

  it('refuses them from the environment too, naming the variable', () => {
    refuses(
      {},
      { FLIPT_AUDIT_SINKS_KAFKA_ENABLED: 'true' },
      'audit.sinks.kafka.enabled',
      /not supported yet.*\(set by FLIPT_AUDIT_SINKS_KAFKA_ENABLED\)/,
    );
  });

  it('accepts a key set to false or empty', () => {
    const { warnings } = resolveWith({
      authentication: { required: false },
      tracing: { enabled: 'false' },
      ui: { enabled: false },
    });
    assert.deepEqual(warnings, []);
  });

  it('warns, without stopping, about keys whose intent Ensign meets by design', () => {
    const { warnings } = resolveWith({ cache: { enabled: true, ttl: '5m' } });
    assert.equal(warnings.length, 2);
    assert.match(
      warnings[0]!,
      /^cache\.enabled has no effect: Ensign always evaluates from a snapshot held in memory/,
    );
  });

  it('checks the types of keys it does not implement (a string where a number goes)', () =>
    refuses(
      { db: { max_idle_conn: 'many' } },
      {},
      'db.max_idle_conn',
      /db\.max_idle_conn must be an integer/,
    ));
});

describe('strict types', () => {
  const cases: [unknown, string, RegExp][] = [
    [{ cors: { enabled: 'yes' } }, 'cors.enabled', /must be true or false \(got "yes"\)/],
    [{ log: { access: 'on' } }, 'log.access', /must be true or false/],
    [{ server: { grpc_port: '90x' } }, 'server.grpc_port', /must be an integer/],
    [{ db: { port: 'five' } }, 'db.port', /must be an integer/],
    [{ storage: { local: { path: ['a'] } } }, 'storage.local.path', /must be a string \(got \["a"\]\)/],
    [{ tracing: { otlp: { headers: 'x' } } }, 'tracing.otlp.headers', /must be a mapping of strings/],
  ];
  for (const [document, key, pattern] of cases) it(key, () => refuses(document, {}, key, pattern));
});

describe("Flipt's split db.* keys", () => {
  it('build the database URL when db.url is not set', () => {
    const { config } = resolveWith({
      db: {
        protocol: 'postgres',
        host: 'db.internal',
        port: 5432,
        name: 'flipt',
        user: 'flipt',
        password: 'p@ss word',
      },
    });
    assert.equal(config.db.url, 'postgres://flipt:p%40ss%20word@db.internal:5432/flipt');
  });

  it('come from the environment as well', () => {
    const { config } = resolveWith(
      {},
      {
        FLIPT_DB_PROTOCOL: 'mysql',
        FLIPT_DB_HOST: '127.0.0.1',
        FLIPT_DB_PORT: '3306',
        FLIPT_DB_NAME: 'flags',
        FLIPT_DB_USER: 'root',
      },
    );
    assert.equal(config.db.url, 'mysql://root@127.0.0.1:3306/flags');
  });

  it('name the missing key when the set is incomplete', () =>
    refuses(
      { db: { host: 'db', name: 'flipt' } },
      {},
      'db.protocol',
      /db\.protocol is required when db\.url is not set/,
    ));

  it('lose to db.url, with a warning that says so', () => {
    const { config, warnings } = resolveWith({ db: { url: 'postgres://a@b/c', host: 'other', name: 'x' } });
    assert.equal(config.db.url, 'postgres://a@b/c');
    assert.deepEqual(warnings, [
      "db.host is ignored because db.url is set (Flipt's precedence)",
      "db.name is ignored because db.url is set (Flipt's precedence)",
    ]);
  });

  it('build an SQLite path from host (directory) and name (file)', () => {
    const { config } = resolveWith({ db: { protocol: 'sqlite', host: '/var/opt/flipt', name: 'flipt.db' } });
    assert.equal(config.db.url, 'file:/var/opt/flipt/flipt.db');
  });
});
