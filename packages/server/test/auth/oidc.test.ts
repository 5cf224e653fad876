import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import { after, before, describe, it } from 'node:test';
import Provider from 'oidc-provider';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildUi, uiUpToDate } from '../../../../scripts/build-ui.ts';
import { chromiumMissing, launch } from '../../../ui/test/browser.ts';
import { type AuthServer, BOOTSTRAP, bearer, startAuthServer } from './harness.ts';
import { freePort, parseSetCookie } from './login-harness.ts';

// OIDC login end to end: oidc-provider runs as a real OpenID provider on loopback (discovery,
// JWKS, PKCE required, signed ID tokens, userinfo), and headless Chromium logs in through the
// UI's "Log in with test" button: authorize → the provider's login and consent pages → callback
// → the UI, logged in. The session cookie that comes out is then used against the API.

const PROVIDER = 'test';
const CLIENT = { id: 'ensign', secret: 'ensign-client-secret' };
const USERS: Record<string, Record<string, unknown>> = {
  alice: {
    email: 'alice@example.com',
    email_verified: true,
    name: 'Alice Liddell',
    preferred_username: 'alice',
  },
  mallory: { email: 'mallory@evil.example', name: 'Mallory' },
};
const LIFETIME_MS = 2 * 3_600_000;

let providerServer: Server;
let issuer: string;
let s: AuthServer;
let base: string;
let browser: Browser | undefined;

async function startProvider(redirect: string): Promise<void> {
  providerServer = createServer();
  await new Promise<void>((resolve) => providerServer.listen(0, '127.0.0.1', resolve));
  const address = providerServer.address();
  issuer = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: CLIENT.id,
        client_secret: CLIENT.secret,
        redirect_uris: [redirect],
        grant_types: ['authorization_code'],
        response_types: ['code'],
      },
    ],
    // A login without PKCE is refused, so a passing login proves Ensign sent it.
    pkce: { required: () => true },
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'preferred_username'],
    },
    findAccount: async (_ctx: unknown, id: string) => ({
      accountId: id,
      claims: () => ({ sub: id, ...(USERS[id] ?? {}) }),
    }),
    cookies: { keys: ['oidc-test-cookie-key'] },
  });
  providerServer.on('request', provider.callback());
}

before(async () => {
  const port = await freePort();
  base = `http://localhost:${port}`;
  await startProvider(`${base}/auth/v1/method/oidc/${PROVIDER}/callback`);
  s = await startAuthServer({
    server: { host: '127.0.0.1', http_port: port, grpc_port: 0 },
    authentication: {
      session: { domain: base, token_lifetime: '2h', csrf: { key: 'csrf-key' } },
      methods: {
        token: { enabled: true, bootstrap: { token: BOOTSTRAP } },
        oidc: {
          enabled: true,
          email_matches: ['@example\\.com$'],
          providers: {
            [PROVIDER]: {
              issuer_url: issuer,
              client_id: CLIENT.id,
              client_secret: CLIENT.secret,
              redirect_address: base,
              scopes: ['email', 'profile'],
              use_pkce: true,
            },
            // Nothing listens on port 1: the provider is down.
            offline: { issuer_url: 'http://127.0.0.1:1', client_id: 'x', redirect_address: base },
          },
        },
      },
    },
  });
  if (!chromiumMissing) {
    if (!uiUpToDate()) await buildUi();
    browser = await launch();
  }
});

after(async () => {
  await browser?.close();
  await s?.close();
  await new Promise((resolve) => providerServer?.close(resolve));
  providerServer?.closeAllConnections();
});

/** The UI's OIDC button, the provider's login and consent pages; resolves on the callback's answer. */
async function logIn(page: Page, user: string, start = '/#/namespaces/team/flags') {
  await page.goto(`${base}${start}`);
  await page.getByRole('button', { name: `Log in with ${PROVIDER}` }).click();
  await page.waitForURL(`${issuer}/**`);
  await page.locator('input[name=login]').fill(user);
  await page.locator('input[name=password]').fill('any password');
  await page.getByRole('button', { name: 'Sign-in' }).click();
  const callback = page.waitForResponse((r) => r.url().startsWith(`${base}/auth/v1/method/oidc/`));
  await page.getByRole('button', { name: 'Continue' }).click();
  return callback;
}

async function sessionCookie(context: BrowserContext) {
  return (await context.cookies(base)).find((c) => c.name === 'flipt_client_token');
}

const BROWSER_TEST = { skip: chromiumMissing && 'Chromium is not installed', timeout: 60_000 };

/** Runs `fn` in a fresh browser profile (no cookies), closed afterwards whatever happens. */
async function inBrowser(fn: (page: Page, context: BrowserContext) => Promise<void>): Promise<void> {
  const context = await browser!.newContext();
  try {
    await fn(await context.newPage(), context);
  } finally {
    await context.close();
  }
}

const withCookie = (token: string, extra: Record<string, string> = {}) => ({
  cookie: `flipt_client_token=${token}`,
  ...extra,
});

describe('OIDC login (oidc-provider on loopback)', () => {
  it('lists the provider with its authorize and callback URLs', async () => {
    const response = await fetch(`${s.url}/auth/v1/method`);
    assert.equal(response.status, 200);
    const { methods } = (await response.json()) as {
      methods: { method: string; enabled: boolean; sessionCompatible: boolean; metadata?: unknown }[];
    };
    const oidc = methods.find((m) => m.method === 'METHOD_OIDC');
    assert.deepEqual(oidc, {
      method: 'METHOD_OIDC',
      enabled: true,
      sessionCompatible: true,
      metadata: {
        providers: {
          [PROVIDER]: {
            authorize_url: `/auth/v1/method/oidc/${PROVIDER}/authorize`,
            callback_url: `/auth/v1/method/oidc/${PROVIDER}/callback`,
          },
          offline: {
            authorize_url: '/auth/v1/method/oidc/offline/authorize',
            callback_url: '/auth/v1/method/oidc/offline/callback',
          },
        },
      },
    });
  });

  it('authorize answers the provider URL with PKCE and a nonce, and sets the state cookie on the callback path', async () => {
    const response = await fetch(`${s.url}/auth/v1/method/oidc/${PROVIDER}/authorize?state=/flags`);
    assert.equal(response.status, 200);
    const { authorizeUrl } = (await response.json()) as { authorizeUrl: string };
    const url = new URL(authorizeUrl);
    assert.equal(url.origin, issuer);
    assert.equal(url.searchParams.get('client_id'), CLIENT.id);
    assert.equal(url.searchParams.get('redirect_uri'), `${base}/auth/v1/method/oidc/${PROVIDER}/callback`);
    assert.deepEqual(url.searchParams.get('scope')?.split(' ').sort(), ['email', 'openid', 'profile']);
    assert.equal(url.searchParams.get('code_challenge_method'), 'S256');
    assert.ok(url.searchParams.get('nonce'));
    const state = JSON.parse(Buffer.from(url.searchParams.get('state') ?? '', 'base64url').toString()) as {
      original_state: string;
    };
    assert.equal(state.original_state, '/flags', "the caller's state travels inside Flipt's state");
    const cookie = parseSetCookie(response.headers.get('set-cookie') ?? '');
    assert.equal(cookie.name, 'flipt_client_state');
    assert.equal(cookie.attributes.get('path'), `/auth/v1/method/oidc/${PROVIDER}/callback`);
    assert.equal(cookie.attributes.get('samesite'), 'Lax');
    assert.ok(cookie.attributes.has('httponly'));
    assert.equal(cookie.attributes.has('domain'), false, 'browsers refuse Domain=localhost');
    const expires = Date.parse(cookie.attributes.get('expires') ?? '');
    assert.ok(Math.abs(expires - (Date.now() + 600_000)) < 5_000, 'state_lifetime defaults to 10m');
    assert.equal(cookie.attributes.get('path')?.includes('authorize'), false);
  });

  it('refuses a callback whose state does not match the state cookie, and an unknown provider', async () => {
    const forged = await fetch(`${s.url}/auth/v1/method/oidc/${PROVIDER}/callback?code=x&state=forged`, {
      headers: { cookie: 'flipt_client_state=eyJzdGF0ZSI6Im90aGVyIn0' },
    });
    assert.equal(forged.status, 401);
    assert.equal(((await forged.json()) as { message: string }).message, 'unexpected state parameter');
    const missing = await fetch(`${s.url}/auth/v1/method/oidc/${PROVIDER}/callback?code=x&state=forged`);
    assert.equal(missing.status, 401);
    const unknown = await fetch(`${s.url}/auth/v1/method/oidc/nope/authorize`);
    assert.equal(unknown.status, 404);
  });

  it('/meta/config masks the client secret', async () => {
    const response = await fetch(`${s.url}/meta/config`, { headers: bearer(BOOTSTRAP) });
    const config = (await response.json()) as {
      authentication: { methods: { oidc: { providers: Record<string, { clientSecret: string }> } } };
    };
    assert.equal(config.authentication.methods.oidc.providers[PROVIDER]?.clientSecret, '***');
    assert.equal(JSON.stringify(config).includes(CLIENT.secret), false);
  });

  it('a provider that cannot be reached answers 503 and the server keeps serving', async () => {
    const down = await fetch(`${s.url}/auth/v1/method/oidc/offline/authorize`);
    assert.equal(down.status, 503);
    assert.match(((await down.json()) as { message: string }).message, /could not be reached/);
    assert.equal((await fetch(`${s.url}/auth/v1/method/oidc/${PROVIDER}/authorize`)).status, 200);
  });

  it(
    'a browser logs in through the UI; the session cookie works on the API; CSRF stops cross-origin writes; logout ends it',
    BROWSER_TEST,
    () =>
      inBrowser(async (page, context) => {
        const callback = await logIn(page, 'alice');
        assert.equal(callback.status(), 302);
        // Back where the login started: the UI passed its route as the state.
        assert.equal(callback.headers()['location'], '/#/namespaces/team/flags');
        await page.waitForURL(`${base}/#/namespaces/team/flags`);
        // Back in the UI, logged in: the top bar offers to log this user out.
        await page.getByRole('button', { name: 'Log out alice@example.com' }).waitFor({ timeout: 15_000 });

        const cookie = await sessionCookie(context);
        assert.ok(cookie, 'the session cookie is set');
        assert.equal(cookie.httpOnly, true);
        assert.equal(cookie.sameSite, 'Strict');
        assert.ok(Math.abs(cookie.expires * 1000 - (Date.now() + LIFETIME_MS)) < 60_000, 'token_lifetime 2h');
        assert.equal(await page.evaluate(() => document.cookie.includes('flipt_client_token')), false);
        assert.equal(
          (await context.cookies(`${base}/auth/v1/method/oidc/${PROVIDER}/callback`)).some(
            (c) => c.name === 'flipt_client_state',
          ),
          false,
          'the state cookie is cleared once used',
        );

        const self = await fetch(`${s.url}/auth/v1/self`, { headers: withCookie(cookie.value) });
        assert.equal(self.status, 200);
        const me = (await self.json()) as {
          method: string;
          expiresAt: string;
          metadata: Record<string, string>;
        };
        assert.equal(me.method, 'METHOD_OIDC');
        assert.deepEqual(me.metadata, {
          'io.flipt.auth.oidc.provider': PROVIDER,
          'io.flipt.auth.oidc.sub': 'alice',
          'io.flipt.auth.oidc.email': 'alice@example.com',
          'io.flipt.auth.oidc.email_verified': 'true',
          'io.flipt.auth.oidc.name': 'Alice Liddell',
          'io.flipt.auth.oidc.preferred_username': 'alice',
          'io.flipt.auth.email': 'alice@example.com',
          'io.flipt.auth.name': 'Alice Liddell',
        });
        assert.ok(Math.abs(Date.parse(me.expiresAt) - (Date.now() + LIFETIME_MS)) < 60_000);

        const flags = await fetch(`${s.url}/api/v1/namespaces/default/flags`, {
          headers: withCookie(cookie.value),
        });
        assert.equal(flags.status, 200);
        assert.deepEqual(
          ((await flags.json()) as { flags: { key: string }[] }).flags.map((f) => f.key).sort(),
          ['color', 'on'],
        );

        // The UI itself writes with the cookie (same origin) ...
        const created = await page.evaluate(async () => {
          const r = await fetch('/api/v1/namespaces/default/flags', {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              key: 'from-the-browser',
              name: 'From the browser',
              type: 'BOOLEAN_FLAG_TYPE',
            }),
          });
          return r.status;
        });
        assert.equal(created, 200);
        // ... another site's page cannot, though the browser would attach the cookie.
        const crossSite = await fetch(`${s.url}/api/v1/namespaces/default/flags`, {
          method: 'POST',
          headers: withCookie(cookie.value, {
            'content-type': 'application/json',
            origin: 'https://evil.example',
            'sec-fetch-site': 'cross-site',
          }),
          body: JSON.stringify({ key: 'forged', name: 'Forged' }),
        });
        assert.equal(crossSite.status, 403);
        const forged = await fetch(`${s.url}/api/v1/namespaces/default/flags/forged`, {
          headers: bearer(BOOTSTRAP),
        });
        assert.equal(forged.status, 404, 'the cross-origin write did not happen');

        // Logout in the UI expires the session and drops the cookie.
        await page.getByRole('button', { name: 'Log out alice@example.com' }).click();
        await page.getByRole('button', { name: `Log in with ${PROVIDER}` }).waitFor({ timeout: 15_000 });
        assert.equal(await sessionCookie(context), undefined);
        const after = await fetch(`${s.url}/auth/v1/self`, { headers: withCookie(cookie.value) });
        assert.equal(after.status, 401, 'a logged-out session is refused');
      }),
  );

  it('refuses a user whose e-mail does not match email_matches', BROWSER_TEST, () =>
    inBrowser(async (page, context) => {
      const callback = await logIn(page, 'mallory');
      assert.equal(callback.status(), 401);
      assert.equal(((await callback.json()) as { message: string }).message, 'email is not allowed');
      assert.equal(await sessionCookie(context), undefined);
    }),
  );

  it('an expired session is refused with 401 and its cookie is cleared', BROWSER_TEST, () =>
    inBrowser(async (page, context) => {
      assert.equal((await logIn(page, 'alice')).status(), 302);
      const cookie = await sessionCookie(context);
      assert.ok(cookie);
      const soon = new Date(Date.now() + 300).toISOString();
      const expire = await fetch(`${s.url}/auth/v1/self/expire`, {
        method: 'PUT',
        headers: { authorization: `Bearer ${cookie.value}`, 'content-type': 'application/json' },
        body: JSON.stringify({ expiresAt: soon }),
      });
      assert.equal(expire.status, 200);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const self = await fetch(`${s.url}/auth/v1/self`, { headers: withCookie(cookie.value) });
      assert.equal(self.status, 401);
      const cleared = parseSetCookie(self.headers.get('set-cookie') ?? '');
      assert.equal(cleared.name, 'flipt_client_token');
      assert.equal(cleared.attributes.get('max-age'), '0');
    }),
  );
});
