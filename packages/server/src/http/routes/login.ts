import type { Context, Hono } from 'hono';
import { cookieValue } from '../../auth/credentials.ts';
import type { Auth } from '../../auth/index.ts';
import { clearedStateCookie, STATE_COOKIE, sessionCookie, stateCookie } from '../../auth/session-cookies.ts';
import type { BrowserLogin } from '../../auth/session-login.ts';
import { json, stringify } from '../respond.ts';

// The browser login routes of the OIDC and GitHub methods (mounted only when the method is on,
// as in Flipt). `authorize` answers the provider's URL and sets the state cookie; the provider
// sends the browser back to `callback`, which sets the session cookie and redirects into the
// UI, carrying the authentication in the body with the token blanked (it is in the cookie).

function withCookies(response: Response, cookies: string[]): Response {
  for (const cookie of cookies) response.headers.append('set-cookie', cookie);
  return response;
}

export function registerLoginRoutes(app: Hono, auth: Auth): void {
  const { session } = auth;

  const authorize = async (c: Context, login: BrowserLogin, provider: string) => {
    const start = await login.authorize(provider, c.req.query('state') ?? '');
    const response = await json(c, { authorizeUrl: start.authorizeUrl });
    return withCookies(response, [stateCookie(session, start.stateCookie, start.callbackPath)]);
  };

  const callback = async (c: Context, login: BrowserLogin, provider: string) => {
    const iss = c.req.query('iss');
    const result = await login.callback(
      provider,
      { code: c.req.query('code') ?? '', state: c.req.query('state') ?? '', ...(iss ? { iss } : {}) },
      cookieValue(c.req.header('cookie'), STATE_COOKIE),
    );
    const response = new Response(stringify(c, { clientToken: '', authentication: result.authentication }), {
      status: 302,
      headers: { 'content-type': 'application/json', location: result.landing },
    });
    return withCookies(response, [
      sessionCookie(session, result.clientToken),
      clearedStateCookie(session, new URL(c.req.url).pathname),
    ]);
  };

  const { oidc, github } = auth.logins;
  if (oidc) {
    app.get('/auth/v1/method/oidc/:provider/authorize', (c) => authorize(c, oidc, c.req.param('provider')));
    app.get('/auth/v1/method/oidc/:provider/callback', (c) => callback(c, oidc, c.req.param('provider')));
  }
  if (github) {
    app.get('/auth/v1/method/github/authorize', (c) => authorize(c, github, ''));
    app.get('/auth/v1/method/github/callback', (c) => callback(c, github, ''));
  }
}
