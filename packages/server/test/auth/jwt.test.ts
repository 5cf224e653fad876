import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { JWTAuthentication, FliptClient as RestClient } from '@flipt-io/flipt';
import { FliptClient as EngineClient } from '@flipt-io/flipt-client-js';
import { exportJWK, exportSPKI, generateKeyPair, type JWK, SignJWT } from 'jose';
import { type AuthServer, connectCall, startAuthServer } from './harness.ts';

// The JWT method with real keys: a JWKS served by a real local HTTP server (cached, fetched again
// for an unknown key id), the five algorithms Flipt accepts, claim validation, Flipt's metadata
// mapping, a PEM public key file, and Flipt's SDKs sending `Authorization: JWT`.

const ISSUER = 'https://issuer.test';
const ALGORITHMS = ['RS256', 'RS512', 'ES256', 'ES512', 'EdDSA'] as const;
type Key = Awaited<ReturnType<typeof generateKeyPair>>;

const keys = new Map<string, Key>();
const published: JWK[] = [];
let jwksFetches = 0;
let jwks: Server;
let s: AuthServer;

async function addKey(kid: string, alg: string, publish = true): Promise<void> {
  const pair = await generateKeyPair(alg, {
    extractable: true,
    ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}),
  });
  keys.set(kid, pair);
  if (publish) published.push({ ...(await exportJWK(pair.publicKey)), kid, alg });
}

function sign(
  kid: string,
  alg: string,
  claims: Record<string, unknown> = {},
  options: { exp?: number } = {},
) {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT({
    user: { email: 'ada@example.com', sub: 'ada', image: 'https://img/ada', name: 'Ada', role: 'admin' },
    ...claims,
  })
    .setProtectedHeader({ alg, kid })
    .setIssuer(ISSUER)
    .setAudience('ensign')
    .setIssuedAt(now)
    .setExpirationTime(options.exp ?? now + 600)
    .sign(keys.get(kid)!.privateKey);
}

async function status(token: string, path = '/auth/v1/self') {
  const response = await fetch(`${s.url}${path}`, { headers: { authorization: `JWT ${token}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

before(async () => {
  for (const alg of ALGORITHMS) await addKey(alg, alg);
  await addKey('unpublished', 'RS256', false);
  jwks = createServer((_req, res) => {
    jwksFetches++;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: published }));
  });
  await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
  const port = (jwks.address() as AddressInfo).port;
  s = await startAuthServer({
    authentication: {
      methods: {
        token: { enabled: true, bootstrap: { token: 's3cr3t' } },
        jwt: {
          enabled: true,
          jwks_url: `http://127.0.0.1:${port}/jwks`,
          validate_claims: { issuer: ISSUER, audiences: ['ensign', 'other'] },
        },
      },
    },
  });
});
after(async () => {
  await s.close();
  jwks.closeAllConnections();
  await new Promise((resolve) => jwks.close(resolve));
});

describe('JWT authentication with a JWKS', () => {
  for (const alg of ALGORITHMS) {
    it(`accepts ${alg} and copies claims into metadata as Flipt does`, async () => {
      const r = await status(await sign(alg, alg, { 'io.flipt.auth.role': 'editor', other: 'dropped' }));
      assert.equal(r.status, 200, JSON.stringify(r.body));
      assert.equal(r.body['method'], 'METHOD_JWT');
      assert.deepEqual(r.body['metadata'], {
        'io.flipt.auth.jwt.issuer': ISSUER,
        'io.flipt.auth.jwt.email': 'ada@example.com',
        'io.flipt.auth.jwt.sub': 'ada',
        'io.flipt.auth.jwt.picture': 'https://img/ada',
        'io.flipt.auth.jwt.name': 'Ada',
        'io.flipt.auth.jwt.role': 'admin',
        'io.flipt.auth.role': 'editor',
      });
    });
  }

  it('refuses a wrong issuer, a wrong audience, an expired token, an unknown key and HS256', async () => {
    const now = Math.floor(Date.now() / 1000);
    const wrongIssuer = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'RS256' })
      .setIssuer('https://evil.test')
      .setAudience('ensign')
      .setExpirationTime(now + 600)
      .sign(keys.get('RS256')!.privateKey);
    const wrongAudience = await new SignJWT({})
      .setProtectedHeader({ alg: 'RS256', kid: 'RS256' })
      .setIssuer(ISSUER)
      .setAudience('someone-else')
      .setExpirationTime(now + 600)
      .sign(keys.get('RS256')!.privateKey);
    const hs256 = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256' })
      .setIssuer(ISSUER)
      .setAudience('ensign')
      .sign(new TextEncoder().encode('a-shared-secret-of-enough-length!'));
    for (const [label, token] of [
      ['wrong issuer', wrongIssuer],
      ['wrong audience', wrongAudience],
      ['expired past the allowed skew', await sign('ES256', 'ES256', {}, { exp: now - 600 })],
      ['signed by an unpublished key', await sign('unpublished', 'RS256')],
      ['HS256', hs256],
      ['garbage', 'not.a.jwt'],
    ] as const) {
      assert.equal((await status(token)).status, 401, label);
    }
  });

  it('caches the key set and fetches it again when a token names a new key', async () => {
    await status(await sign('ES512', 'ES512'));
    const before = jwksFetches;
    for (let i = 0; i < 5; i++)
      assert.equal((await status(await sign('RS512', 'RS512', { n: i }))).status, 200);
    assert.equal(jwksFetches, before, 'known keys come from the cache');

    await addKey('rotated', 'ES256');
    await sleep(1100); // the refetch cooldown
    assert.equal((await status(await sign('rotated', 'ES256'))).status, 200);
    assert.equal(jwksFetches, before + 1);
  });

  it('works on evaluation, over Connect, and with Flipt SDKs', async () => {
    const token = await sign('EdDSA', 'EdDSA');
    const rest = new RestClient({ url: s.url, authenticationStrategy: new JWTAuthentication(token) });
    const result = await rest.evaluation.boolean({
      namespaceKey: 'team',
      flagKey: 'on',
      entityId: 'e',
      context: {},
    });
    assert.equal(result.enabled, true);
    const engine = await EngineClient.init({
      url: s.url,
      namespace: 'team',
      authentication: { jwtToken: token },
    });
    try {
      assert.equal(engine.evaluateBoolean({ flagKey: 'on', entityId: 'e', context: {} }).enabled, true);
    } finally {
      engine.close();
    }
    const grpc = await connectCall(
      s.grpcUrl,
      '/flipt.evaluation.EvaluationService/Boolean',
      { namespaceKey: 'team', flagKey: 'on', entityId: 'e' },
      { authorization: `JWT ${token}` },
    );
    assert.equal(grpc.status, 200);
  });

  it('lists the JWT method as enabled', async () => {
    const methods = (await (await fetch(`${s.url}/auth/v1/method`)).json()) as {
      methods: Array<{ method: string; enabled: boolean }>;
    };
    assert.deepEqual(
      methods.methods.filter((m) => m.enabled).map((m) => m.method),
      ['METHOD_TOKEN', 'METHOD_JWT'],
    );
  });
});

describe('JWT authentication with a public key file', () => {
  it('verifies against the PEM key, and only that key', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ensign-jwt-'));
    const path = join(dir, 'key.pem');
    writeFileSync(path, await exportSPKI(keys.get('ES256')!.publicKey));
    const pem = await startAuthServer({
      authentication: {
        methods: {
          token: { enabled: true, bootstrap: { token: 's3cr3t' } },
          jwt: { enabled: true, public_key_file: path },
        },
      },
    });
    try {
      const ok = await fetch(`${pem.url}/auth/v1/self`, {
        headers: { authorization: `JWT ${await sign('ES256', 'ES256')}` },
      });
      assert.equal(ok.status, 200);
      const other = await fetch(`${pem.url}/auth/v1/self`, {
        headers: { authorization: `JWT ${await sign('RS256', 'RS256')}` },
      });
      assert.equal(other.status, 401);
    } finally {
      await pem.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
