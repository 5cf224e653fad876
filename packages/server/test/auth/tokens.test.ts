import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { resolveConfig } from '../../src/config/load.ts';
import { type AuthServer, BOOTSTRAP, bearer, startAuthServer } from './harness.ts';

// The token method's lifecycle over REST: create, list, get, delete, expire self, cleanup,
// cookie sessions with cross-origin protection, and the config keys that drive them.

let s: AuthServer;
before(async () => {
  s = await startAuthServer({
    authentication: {
      session: { csrf: { key: 'k', trusted_origins: ['https://trusted.example'] } },
      methods: {
        token: {
          enabled: true,
          bootstrap: { token: BOOTSTRAP },
          cleanup: { interval: '50ms', grace_period: '1ms' },
        },
      },
    },
  });
});
after(() => s.close());

async function get(path: string, headers: Record<string, string>) {
  const response = await fetch(`${s.url}${path}`, { headers });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('client tokens', () => {
  it('are created with Flipt metadata, listed, fetched and deleted; a deleted token stops working', async () => {
    const created = await fetch(`${s.url}/auth/v1/method/token`, {
      method: 'POST',
      headers: bearer(BOOTSTRAP),
      body: JSON.stringify({
        name: 'ci',
        description: 'for CI',
        namespace_key: 'team',
        metadata: { team: 'a' },
      }),
    });
    assert.equal(created.status, 200);
    const { clientToken, authentication } = (await created.json()) as {
      clientToken: string;
      authentication: { id: string; method: string; metadata: Record<string, string>; expiresAt?: string };
    };
    assert.match(clientToken, /^[A-Za-z0-9_-]{43}$/);
    assert.equal(authentication.method, 'METHOD_TOKEN');
    assert.equal(authentication.expiresAt, undefined);
    assert.deepEqual(authentication.metadata, {
      team: 'a',
      'io.flipt.auth.token.name': 'ci',
      'io.flipt.auth.token.description': 'for CI',
      'io.flipt.auth.token.namespace': 'team',
    });

    const list = await get('/auth/v1/tokens?method=METHOD_TOKEN', bearer(BOOTSTRAP));
    const ids = (list.body['authentications'] as Array<{ id: string }>).map((a) => a.id);
    assert.ok(ids.includes(authentication.id));
    assert.equal((await get(`/auth/v1/tokens/${authentication.id}`, bearer(BOOTSTRAP))).status, 200);
    // Nothing in the API ever shows a token again, nor its hash.
    assert.doesNotMatch(JSON.stringify(list.body), new RegExp(clientToken));

    const scoped = { ...bearer(clientToken), 'content-type': 'application/json' };
    const evaluate = () =>
      fetch(`${s.url}/evaluate/v1/boolean`, {
        method: 'POST',
        headers: scoped,
        body: JSON.stringify({ namespaceKey: 'team', flagKey: 'on', entityId: 'e' }),
      });
    assert.equal((await evaluate()).status, 200);
    const deleted = await fetch(`${s.url}/auth/v1/tokens/${authentication.id}`, {
      method: 'DELETE',
      headers: bearer(BOOTSTRAP),
    });
    assert.equal(deleted.status, 200);
    assert.equal((await evaluate()).status, 401);
    assert.equal((await get(`/auth/v1/tokens/${authentication.id}`, bearer(BOOTSTRAP))).status, 404);
  });

  it('expire themselves through self/expire', async () => {
    const token = await s.mint({ name: 'short' });
    const self = await get('/auth/v1/self', bearer(token));
    assert.equal(self.status, 200);
    assert.equal((self.body['metadata'] as Record<string, string>)['io.flipt.auth.token.name'], 'short');
    const expire = await fetch(`${s.url}/auth/v1/self/expire`, {
      method: 'PUT',
      headers: bearer(token),
      body: '{}',
    });
    assert.equal(expire.status, 200);
    assert.equal((await get('/auth/v1/self', bearer(token))).status, 401);
  });

  it('are deleted by the cleanup once expired past the grace period', async () => {
    await s.mint({ name: 'old', expiresAt: new Date(Date.now() - 1000).toISOString() });
    const names = async () =>
      (
        (await get('/auth/v1/tokens', bearer(BOOTSTRAP))).body['authentications'] as Array<{
          metadata: Record<string, string>;
        }>
      ).map((a) => a.metadata['io.flipt.auth.token.name']);
    for (let i = 0; i < 100 && (await names()).includes('old'); i++) await sleep(20);
    assert.ok(!(await names()).includes('old'));
    assert.ok((await names()).includes('initial_bootstrap_token'));
  });

  it('rejects a malformed expiresAt with 400', async () => {
    const response = await fetch(`${s.url}/auth/v1/method/token`, {
      method: 'POST',
      headers: bearer(BOOTSTRAP),
      body: JSON.stringify({ name: 'x', expiresAt: 'tomorrow' }),
    });
    assert.equal(response.status, 400);
    assert.equal(((await response.json()) as { code: number }).code, 3);
  });
});

describe('cookie sessions', () => {
  it('authenticate with flipt_client_token; cross-origin writes are refused, same-origin and trusted ones pass', async () => {
    const token = await s.mint({ name: 'browser' });
    const cookie = { cookie: `flipt_client_token=${token}` };
    assert.equal((await get('/auth/v1/self', cookie)).status, 200);

    const write = (headers: Record<string, string>) =>
      fetch(`${s.url}/api/v1/namespaces/team/flags`, {
        method: 'POST',
        headers: { ...cookie, 'content-type': 'application/json', ...headers },
        body: JSON.stringify({
          key: `f${Math.random().toString(36).slice(2)}`,
          name: 'F',
          type: 'BOOLEAN_FLAG_TYPE',
        }),
      });
    const evil = await write({ origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' });
    assert.equal(evil.status, 403);
    assert.match(((await evil.json()) as { message: string }).message, /cross-origin request detected/);
    assert.equal(
      (await write({ origin: 'https://evil.example' })).status,
      403,
      'Origin without Sec-Fetch-Site',
    );
    assert.equal((await write({ 'sec-fetch-site': 'same-origin' })).status, 200);
    assert.equal((await write({ origin: s.url })).status, 200, 'Origin matching Host');
    assert.equal(
      (await write({ origin: 'https://trusted.example', 'sec-fetch-site': 'cross-site' })).status,
      200,
    );
    // Reads are never cross-origin writes.
    assert.equal(
      (await get('/api/v1/namespaces/team/flags', { ...cookie, 'sec-fetch-site': 'cross-site' })).status,
      200,
    );
  });
});

describe('authentication config', () => {
  const cwd = '/';
  it('reads Flipt keys, and from the environment', () => {
    const { config } = resolveConfig(
      {
        authentication: {
          required: true,
          exclude: { evaluation: true, metadata: true },
          methods: { token: { enabled: true, bootstrap: { expiration: '24h', metadata: { owner: 'ops' } } } },
        },
      },
      { env: { FLIPT_AUTHENTICATION_METHODS_TOKEN_BOOTSTRAP_TOKEN: 'from-env' }, cwd },
    );
    assert.equal(config.authentication.required, true);
    assert.deepEqual(config.authentication.exclude, { management: false, evaluation: true, ofrep: false });
    assert.deepEqual(config.authentication.methods.token.bootstrap, {
      token: 'from-env',
      expirationMs: 86_400_000,
      metadata: { owner: 'ops' },
    });
  });

  for (const [key, document] of [
    ['audit.sinks.kafka.enabled', { audit: { sinks: { kafka: { enabled: true } } } }],
  ] as const) {
    it(`refuses to start with ${key}, which is not implemented yet`, () => {
      assert.throws(() => resolveConfig(document, { env: {}, cwd }), /not supported yet/);
    });
  }

  it('refuses a JWT method without exactly one key source', () => {
    for (const jwt of [
      { enabled: true },
      { enabled: true, jwks_url: 'http://x/jwks', public_key_file: '/k.pem' },
    ]) {
      assert.throws(
        () => resolveConfig({ authentication: { methods: { jwt } } }, { env: {}, cwd }),
        /exactly one of jwks_url and public_key_file/,
      );
    }
  });
});
