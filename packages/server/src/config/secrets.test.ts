import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigError } from './config-error.ts';
import { resolveConfig } from './load.ts';
import { reportConfig } from './report.ts';
import { redactUrl, scrubSecrets } from './secrets.ts';
import { SETTINGS } from './settings.ts';

/**
 * Every key whose value is a secret. A new secret key must be added here, which is the point:
 * the tests below then prove it is hidden everywhere.
 */
const SECRET_KEYS = [
  'analytics.storage.prometheus.headers',
  'audit.sinks.kafka.authentication.password',
  'audit.sinks.webhook.signing_secret',
  'authentication.methods.github.client_secret',
  'authentication.methods.oidc.providers.*.client_secret',
  'authentication.methods.oidc.providers.*.nonce',
  'authentication.methods.token.bootstrap.token',
  'authentication.session.csrf.key',
  'cache.redis.password',
  'db.auth_token',
  'db.password',
  'metrics.otlp.headers',
  'storage.git.authentication.basic.password',
  'storage.git.authentication.ssh.password',
  'storage.git.authentication.ssh.private_key_bytes',
  'storage.git.authentication.token.access_token',
  'storage.oci.authentication.password',
  'tracing.otlp.headers',
];

const cwd = '/srv/app';

/** `{a: {b: value}}` for `a.b`, with `*` named `main`. */
function documentWith(key: string, value: unknown): Record<string, unknown> {
  const segments = key.replace('*', 'main').split('.');
  let node: unknown = value;
  for (const segment of segments.reverse()) node = { [segment]: node };
  return node as Record<string, unknown>;
}

function outcome(document: unknown, env: Record<string, string> = {}): string {
  try {
    const { config, warnings } = resolveConfig(document, { env, cwd });
    return `${JSON.stringify(reportConfig(config))}\n${warnings.join('\n')}`;
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    return error.message;
  }
}

describe('secret keys', () => {
  it('are exactly the ones listed here', () => {
    const marked = SETTINGS.filter((s) => s.secret).map((s) => s.key);
    assert.deepEqual([...marked].sort(), [...SECRET_KEYS].sort());
  });

  for (const key of SECRET_KEYS) {
    it(`${key} never shows in /meta/config, warnings or errors`, () => {
      const isMap = key.endsWith('headers');
      const value = isMap ? { Authorization: 'Bearer s3cr3t-h34d3r' } : 's3cr3t-v4lu3';
      const secret = isMap ? 's3cr3t-h34d3r' : 's3cr3t-v4lu3';
      // Set (from the file and from the environment), and mistyped.
      const texts = [
        outcome(documentWith(key, value)),
        outcome(documentWith(key, [value])),
        outcome(documentWith(key, { nested: value })),
      ];
      // Through ${VAR} substitution (for the header maps, a string is the wrong type): no
      // message may show what the variable held.
      texts.push(outcome(documentWith(key, '$' + '{SECRET_VAR}'), { SECRET_VAR: secret }));
      if (!key.includes('*') && !isMap) {
        texts.push(outcome({}, { [`ENSIGN_${key.replaceAll('.', '_').toUpperCase()}`]: secret }));
      }
      for (const text of texts) assert.doesNotMatch(text, new RegExp(secret), text);
      // And the log sink blanks it wherever a line would carry it.
      assert.equal(scrubSecrets(`driver said: ${secret} rejected`), 'driver said: *** rejected');
    });
  }

  it('are masked, not dropped, in /meta/config when set', () => {
    const report = outcome({ db: { auth_token: 's3cr3t-v4lu3' } });
    assert.match(report, /"authToken":"\*\*\*"/);
  });
});

describe('secrets in URLs', () => {
  const cases: [string, string][] = [
    ['postgres://flipt:hunter22@db:5432/flipt', 'postgres://flipt:***@db:5432/flipt'],
    [
      'postgres://db/flipt?user=flipt&password=hunter22&sslmode=require',
      'postgres://db/flipt?user=flipt&password=***&sslmode=require',
    ],
    ['libsql://db.example.test?authToken=eyJhbGciOi', 'libsql://db.example.test?authToken=***'],
    ['https://db.example.test/?token=abc123&x=1', 'https://db.example.test/?token=***&x=1'],
    ['postgres://db/f?sslpassword=keypass&sslkey=/k.pem', 'postgres://db/f?sslpassword=***&sslkey=/k.pem'],
    ['mysql://root:pa:ss@127.0.0.1:3306/flags', 'mysql://root:***@127.0.0.1:3306/flags'],
    ['file:/var/opt/ensign/ensign.db', 'file:/var/opt/ensign/ensign.db'],
  ];
  for (const [url, expected] of cases) it(url, () => assert.equal(redactUrl(url), expected));

  it('are masked in /meta/config and remembered for the logs', () => {
    const report = outcome({ db: { url: 'postgres://flipt:hunter22@db/flipt?sslpassword=keypass1' } });
    assert.doesNotMatch(report, /hunter22|keypass1/);
    assert.match(report, /postgres:\/\/flipt:\*\*\*@db\/flipt\?sslpassword=\*\*\*/);
    assert.equal(
      scrubSecrets('connect failed: password hunter22 rejected'),
      'connect failed: password *** rejected',
    );
  });

  it('never show in the error for an unsupported URL', () => {
    const message = outcome({ db: { url: 'oracle://scott:tiger99@db/orcl?password=tiger99' } });
    assert.match(message, /db\.url "oracle:\/\/scott:\*\*\*@db\/orcl\?password=\*\*\*" is not supported/);
  });

  it('built from the split db.* keys are masked too', () => {
    const report = outcome({
      db: { protocol: 'postgres', host: 'db', name: 'f', user: 'u', password: 'pw-1234' },
    });
    assert.doesNotMatch(report, /pw-1234/);
  });
});
