import { randomBytes, timingSafeEqual } from 'node:crypto';
import { EnsignError } from '@ensign/core';

// What a browser login carries from authorize to callback. The `state` parameter is Flipt's:
// base64url JSON of a random security token and the caller's own state (where the UI wants to
// return). The state cookie holds that state plus the secrets the callback needs and the
// provider must never see (the PKCE verifier, the nonce): the login needs no server-side
// storage, so any replica can finish a login another one started.

export interface LoginState {
  state: string;
  codeVerifier?: string;
  nonce?: string;
}

export function newState(originalState: string): string {
  const payload = { security_token: randomBytes(48).toString('base64url'), original_state: originalState };
  return Buffer.from(JSON.stringify(payload)).toString('base64url');
}

export function encodeLoginState(login: LoginState): string {
  return Buffer.from(JSON.stringify(login)).toString('base64url');
}

const refused = (why: string) => new EnsignError('unauthenticated', why);

/** The login this browser started, if `state` is the one it was given; else unauthenticated. */
export function checkLoginState(cookie: string | undefined, state: string): LoginState {
  if (!cookie || !state) throw refused('missing state parameter');
  let login: LoginState;
  try {
    login = JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8')) as LoginState;
  } catch {
    throw refused('unexpected state parameter');
  }
  const a = Buffer.from(String(login?.state ?? ''));
  const b = Buffer.from(state);
  if (a.length !== b.length || !timingSafeEqual(a, b)) throw refused('unexpected state parameter');
  return login;
}

/**
 * Where the browser goes once logged in: the UI at `/`, or the UI route the login started from
 * (`/#/flags`) when the caller's state named a relative path, and nothing that leaves the site.
 */
export function landingPath(state: string): string {
  let original = '';
  try {
    original = String(
      (JSON.parse(Buffer.from(state, 'base64url').toString('utf8')) as { original_state?: unknown })
        .original_state ?? '',
    ).trim();
  } catch {
    return '/';
  }
  if (original === '' || original.length > 2048) return '/';
  if (!original.startsWith('/')) original = `/${original}`;
  if (original.startsWith('//') || /[\\\r\n\0]|:\/\//.test(original)) return '/';
  return `/#${original}`;
}
