import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { buildUi, uiUpToDate } from '../../../../scripts/build-ui.ts';
import { chromiumMissing, launch } from '../../../ui/test/browser.ts';
import { membershipAllowed } from '../../src/auth/github.ts';
import { resolveConfig } from '../../src/config/load.ts';
import { type GithubDouble, type GithubUserDouble, startGithubDouble } from './github-test-double.ts';
import { type AuthServer, BOOTSTRAP, startAuthServer } from './harness.ts';
import { freePort, parseSetCookie } from './login-harness.ts';

// The GitHub method against a TEST DOUBLE of GitHub (github-test-double.ts; no real GitHub can
// run here): the OAuth code flow over real HTTP, the session cookie, and Flipt's organisation
// and team rules.

const CLIENT = { id: 'gh-client', secret: 'gh-secret' };

const user = (login: string, orgs: string[], teams: string[] = []): GithubUserDouble => ({
  id: login.length * 1000 + 7,
  login,
  name: `${login[0]?.toUpperCase()}${login.slice(1)}`,
  email: `${login}@example.com`,
  avatar_url: `https://avatars.example/${login}`,
  orgs,
  teams,
});

let github: GithubDouble;
let s: AuthServer;

before(async () => {
  github = await startGithubDouble(CLIENT);
  const port = await freePort();
  s = await startAuthServer({
    server: { host: '127.0.0.1', http_port: port, grpc_port: 0 },
    authentication: {
      session: {
        domain: `flags.example.com:${port}`,
        secure: true,
        token_lifetime: '30m',
        state_lifetime: '2m',
      },
      methods: {
        token: { enabled: true, bootstrap: { token: BOOTSTRAP } },
        github: {
          enabled: true,
          server_url: github.url,
          api_url: github.url,
          client_id: CLIENT.id,
          client_secret: CLIENT.secret,
          redirect_address: `http://127.0.0.1:${port}`,
          scopes: ['read:org', 'user:email'],
          allowed_organizations: ['acme', 'open-crew'],
          allowed_teams: { acme: ['flags-admins'] },
        },
      },
    },
  });
});
after(async () => {
  await s?.close();
  await github?.close();
});

/** authorize → the double's authorize page (redirects back at once) → callback, as a browser would. */
async function login(as: GithubUserDouble) {
  github.loginAs(as);
  const authorize = await fetch(`${s.url}/auth/v1/method/github/authorize`);
  assert.equal(authorize.status, 200);
  const stateCookie = parseSetCookie(authorize.headers.get('set-cookie') ?? '');
  const { authorizeUrl } = (await authorize.json()) as { authorizeUrl: string };
  const atGithub = await fetch(authorizeUrl, { redirect: 'manual' });
  assert.equal(atGithub.status, 302);
  const callback = await fetch(atGithub.headers.get('location') ?? '', {
    redirect: 'manual',
    headers: { cookie: `${stateCookie.name}=${stateCookie.value}` },
  });
  return { authorizeUrl: new URL(authorizeUrl), stateCookie, callback };
}

/** Starts a login without going to GitHub: the state cookie and the state it must match. */
async function startLogin() {
  const authorize = await fetch(`${s.url}/auth/v1/method/github/authorize`);
  const cookie = parseSetCookie(authorize.headers.get('set-cookie') ?? '');
  const { authorizeUrl } = (await authorize.json()) as { authorizeUrl: string };
  return { cookie, state: new URL(authorizeUrl).searchParams.get('state') ?? '' };
}

describe('GitHub login (against a test double of GitHub)', () => {
  it('lists the method with its URLs', async () => {
    const { methods } = (await (await fetch(`${s.url}/auth/v1/method`)).json()) as {
      methods: { method: string; enabled: boolean; metadata?: unknown }[];
    };
    assert.deepEqual(
      methods.find((m) => m.method === 'METHOD_GITHUB'),
      {
        method: 'METHOD_GITHUB',
        enabled: true,
        sessionCompatible: true,
        metadata: {
          authorize_url: '/auth/v1/method/github/authorize',
          callback_url: '/auth/v1/method/github/callback',
        },
      },
    );
  });

  it('a member of an allowed team logs in; the cookie carries a METHOD_GITHUB session', async () => {
    const { authorizeUrl, stateCookie, callback } = await login(
      user('octo', ['acme'], ['acme/flags-admins']),
    );
    assert.equal(authorizeUrl.pathname, '/login/oauth/authorize');
    assert.equal(authorizeUrl.searchParams.get('scope'), 'read:org user:email');
    assert.equal(authorizeUrl.searchParams.get('redirect_uri'), `${s.url}/auth/v1/method/github/callback`);
    assert.equal(stateCookie.attributes.get('path'), '/auth/v1/method/github/callback');
    assert.equal(stateCookie.attributes.get('domain'), 'flags.example.com', 'scheme and port are stripped');
    assert.ok(stateCookie.attributes.has('secure'));

    assert.equal(callback.status, 302);
    assert.equal(callback.headers.get('location'), '/');
    const cookies = callback.headers.getSetCookie().map(parseSetCookie);
    const session = cookies.find((c) => c.name === 'flipt_client_token');
    assert.ok(session);
    assert.equal(session.attributes.get('samesite'), 'Strict');
    assert.ok(session.attributes.has('secure') && session.attributes.has('httponly'));
    assert.equal(session.attributes.get('domain'), 'flags.example.com');
    assert.ok(
      Math.abs(Date.parse(session.attributes.get('expires') ?? '') - (Date.now() + 30 * 60_000)) < 5_000,
    );
    const body = (await callback.json()) as { clientToken: string; authentication: { method: string } };
    assert.equal(body.clientToken, '', 'the token travels only in the HttpOnly cookie');
    assert.equal(body.authentication.method, 'METHOD_GITHUB');

    const self = await fetch(`${s.url}/auth/v1/self`, {
      headers: { cookie: `flipt_client_token=${session.value}` },
    });
    assert.equal(self.status, 200);
    const me = (await self.json()) as { method: string; metadata: Record<string, string> };
    assert.equal(me.method, 'METHOD_GITHUB');
    assert.deepEqual(me.metadata, {
      'io.flipt.auth.github.name': 'Octo',
      'io.flipt.auth.github.email': 'octo@example.com',
      'io.flipt.auth.github.picture': 'https://avatars.example/octo',
      'io.flipt.auth.github.sub': '4007',
      'io.flipt.auth.github.preferred_username': 'octo',
      'io.flipt.auth.email': 'octo@example.com',
      'io.flipt.auth.name': 'Octo',
      'io.flipt.auth.picture': 'https://avatars.example/octo',
    });
    const list = await fetch(`${s.url}/api/v1/namespaces`, {
      headers: { cookie: `flipt_client_token=${session.value}` },
    });
    assert.equal(list.status, 200);
    // What the double saw: the client credentials in the exchange and the token on API calls.
    const exchange = github.requests.find((r) => r.path === '/login/oauth/access_token');
    assert.equal(new URLSearchParams(exchange?.body).get('client_secret'), CLIENT.secret);
    assert.match(github.requests.find((r) => r.path === '/user')?.authorization ?? '', /^Bearer gho_/);
  });

  it('with team rules, an allowed organisation without a team list admits nobody (as in Flipt)', async () => {
    const { callback } = await login(user('ada', ['open-crew'], ['open-crew/flags-admins']));
    assert.equal(callback.status, 401);
  });

  it('refuses a user of an organisation that is not allowed', async () => {
    const { callback } = await login(user('eve', ['umbrella']));
    assert.equal(callback.status, 401);
    assert.equal(
      callback.headers.getSetCookie().some((c) => c.startsWith('flipt_client_token=')),
      false,
    );
    assert.deepEqual(await callback.json(), {
      code: 16,
      message: 'request was not authenticated',
      details: [],
    });
  });

  it('refuses a member of the organisation who is not in one of its allowed teams', async () => {
    const { callback } = await login(user('bob', ['acme'], ['acme/marketing', 'open-crew/flags-admins']));
    assert.equal(callback.status, 401);
  });

  it('refuses a callback without the state cookie, and a code GitHub does not know', async () => {
    github.loginAs(user('octo', ['open-crew']));
    const { cookie: stateCookie, state } = await startLogin();
    const noCookie = await fetch(`${s.url}/auth/v1/method/github/callback?code=x&state=${state}`, {
      redirect: 'manual',
    });
    assert.equal(noCookie.status, 401);
    const badCode = await fetch(`${s.url}/auth/v1/method/github/callback?code=nope&state=${state}`, {
      redirect: 'manual',
      headers: { cookie: `flipt_client_state=${stateCookie.value}` },
    });
    assert.equal(badCode.status, 401);
    assert.match(((await badCode.json()) as { message: string }).message, /incorrect or expired/);
  });

  it('the gRPC service (Connect) hands the login state over in metadata and returns the client token', async () => {
    github.loginAs(user('octo', ['acme'], ['acme/flags-admins']));
    const service = `${s.grpcUrl}/flipt.auth.AuthenticationMethodGithubService`;
    const authorize = await fetch(`${service}/AuthorizeURL`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ state: '/namespaces' }),
    });
    assert.equal(authorize.status, 200);
    const loginState = authorize.headers.get('flipt_client_state') ?? '';
    assert.ok(loginState);
    const { authorizeUrl } = (await authorize.json()) as { authorizeUrl: string };
    const back = new URL((await fetch(authorizeUrl, { redirect: 'manual' })).headers.get('location') ?? '');
    const call = (headers: Record<string, string>) =>
      fetch(`${service}/Callback`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify({ code: back.searchParams.get('code'), state: back.searchParams.get('state') }),
      });
    assert.equal((await call({})).status, 401, 'without the login state');
    const callback = await call({ flipt_client_state: loginState });
    assert.equal(callback.status, 200);
    const { clientToken, authentication } = (await callback.json()) as {
      clientToken: string;
      authentication: { method: string };
    };
    assert.equal(authentication.method, 'METHOD_GITHUB');
    const self = await fetch(`${s.url}/auth/v1/self`, {
      headers: { authorization: `Bearer ${clientToken}` },
    });
    assert.equal(self.status, 200);
  });

  it('GitHub being down is a 503, not a crash', async () => {
    await github.close();
    const { cookie, state } = await startLogin();
    const down = await fetch(`${s.url}/auth/v1/method/github/callback?code=x&state=${state}`, {
      redirect: 'manual',
      headers: { cookie: `flipt_client_state=${cookie.value}` },
    });
    assert.equal(down.status, 503);
    assert.equal((await fetch(`${s.url}/auth/v1/method`)).status, 200, 'the server still answers');
  });
});

describe('GitHub login in the browser (Chromium, the UI, the test double)', () => {
  it('the UI offers GitHub, the login lands logged in, and logout ends the session', {
    skip: chromiumMissing && 'Chromium is not installed',
    timeout: 60_000,
  }, async () => {
    const double = await startGithubDouble(CLIENT);
    const port = await freePort();
    const base = `http://localhost:${port}`;
    const server = await startAuthServer({
      server: { host: '127.0.0.1', http_port: port, grpc_port: 0 },
      authentication: {
        session: { domain: base },
        methods: {
          token: { enabled: true, bootstrap: { token: BOOTSTRAP } },
          github: {
            enabled: true,
            server_url: double.url,
            api_url: double.url,
            client_id: CLIENT.id,
            client_secret: CLIENT.secret,
            redirect_address: base,
          },
        },
      },
    });
    if (!uiUpToDate()) await buildUi();
    const browser = await launch();
    try {
      double.loginAs(user('octo', []));
      const page = await browser.newPage();
      await page.goto(`${base}/#/namespaces/team/segments`);
      await page.getByRole('button', { name: 'Log in with GitHub' }).click();
      const logout = page.getByRole('button', { name: 'Log out octo@example.com' });
      await logout.waitFor({ timeout: 15_000 });
      assert.equal(page.url(), `${base}/#/namespaces/team/segments`);
      const cookie = (await page.context().cookies(base)).find((c) => c.name === 'flipt_client_token');
      assert.ok(cookie);
      await logout.click();
      await page.getByRole('button', { name: 'Log in with GitHub' }).waitFor({ timeout: 15_000 });
      const self = await fetch(`${server.url}/auth/v1/self`, {
        headers: { cookie: `flipt_client_token=${cookie.value}` },
      });
      assert.equal(self.status, 401);
    } finally {
      await browser.close();
      await server.close();
      await double.close();
    }
  });
});

describe('GitHub and session configuration', () => {
  const resolve = (authentication: Record<string, unknown>) => () =>
    resolveConfig({ authentication }, { env: {}, cwd: '/' });
  const github = {
    enabled: true,
    client_id: 'a',
    client_secret: 'b',
    redirect_address: 'https://flags.example.com',
  };

  it('needs a session domain, read:org with organisations, and teams only of allowed organisations', () => {
    assert.throws(resolve({ methods: { github } }), /authentication\.session\.domain is required/);
    const session = { domain: 'flags.example.com' };
    assert.throws(
      resolve({ session, methods: { github: { ...github, allowed_organizations: ['acme'] } } }),
      /must include "read:org"/,
    );
    assert.throws(
      resolve({
        session,
        methods: {
          github: {
            ...github,
            scopes: ['read:org'],
            allowed_organizations: ['acme'],
            allowed_teams: { other: ['x'] },
          },
        },
      }),
      /names organisation "other"/,
    );
    const { config } = resolveConfig(
      {
        authentication: {
          session: { domain: 'https://flags.example.com:8443', token_lifetime: '1h', state_lifetime: '5m' },
          methods: {
            github: {
              ...github,
              scopes: ['read:org'],
              allowed_organizations: ['acme'],
              allowed_teams: { acme: ['x'] },
            },
          },
        },
      },
      { env: {}, cwd: '/' },
    );
    assert.equal(config.authentication.session.domain, 'flags.example.com');
    assert.equal(config.authentication.session.tokenLifetimeMs, 3_600_000);
    assert.equal(config.authentication.session.stateLifetimeMs, 300_000);
    assert.deepEqual(config.authentication.methods.github.allowedTeams, { acme: ['x'] });
    assert.equal(config.authentication.methods.github.apiUrl, 'https://api.github.com');
  });

  it('without team rules, membership of any allowed organisation is enough', () => {
    const config = resolveConfig(
      {
        authentication: {
          session: { domain: 'localhost' },
          methods: {
            github: { ...github, scopes: ['read:org'], allowed_organizations: ['acme', 'open-crew'] },
          },
        },
      },
      { env: {}, cwd: '/' },
    ).config.authentication.methods.github;
    assert.equal(membershipAllowed(config, new Set(['open-crew']), undefined), true);
    assert.equal(membershipAllowed(config, new Set(['umbrella']), undefined), false);
  });

  it('reads OIDC providers from the file and from FLIPT_ variables, and refuses a bad email pattern', () => {
    const { config } = resolveConfig(
      {
        authentication: {
          session: { domain: 'localhost' },
          methods: {
            oidc: { enabled: true, providers: { google: { issuer_url: 'https://accounts.example' } } },
          },
        },
      },
      {
        env: {
          FLIPT_AUTHENTICATION_METHODS_OIDC_PROVIDERS_GOOGLE_CLIENT_ID: 'cid',
          FLIPT_AUTHENTICATION_METHODS_OIDC_PROVIDERS_GOOGLE_REDIRECT_ADDRESS: 'http://localhost:8080',
        },
        cwd: '/',
      },
    );
    assert.deepEqual(config.authentication.methods.oidc.providers['google'], {
      issuerUrl: 'https://accounts.example',
      clientId: 'cid',
      clientSecret: '',
      redirectAddress: 'http://localhost:8080',
      nonce: '',
      scopes: [],
      usePkce: false,
    });
    assert.throws(
      resolve({
        session: { domain: 'localhost' },
        methods: { oidc: { enabled: true, email_matches: ['(unclosed'] } },
      }),
      /email_matches: "\(unclosed" is not a regular expression/,
    );
  });
});
