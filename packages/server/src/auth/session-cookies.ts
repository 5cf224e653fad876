import type { AuthenticationConfig } from '../config/types.ts';
import { SESSION_COOKIE } from './credentials.ts';

// The two cookies of a browser login, with the attributes Flipt gives them: the state cookie
// ties a login started here to the callback that finishes it (Lax, because the provider sends
// the browser back from another site), and the session cookie carries the client token
// (Strict, HttpOnly: page scripts never see it, other sites never send it).

export const STATE_COOKIE = 'flipt_client_state';

type Session = AuthenticationConfig['session'];

interface Cookie {
  name: string;
  value: string;
  path: string;
  expires: Date;
  sameSite: 'Strict' | 'Lax';
}

function serialize(session: Session, cookie: Cookie): string {
  const parts = [
    `${cookie.name}=${encodeURIComponent(cookie.value)}`,
    `Path=${cookie.path}`,
    `Expires=${cookie.expires.toUTCString()}`,
  ];
  if (cookie.expires.getTime() <= 0) parts.push('Max-Age=0');
  // Browsers refuse Domain=localhost; without the attribute the cookie stays on that host.
  if (session.domain !== '' && !session.domain.startsWith('localhost'))
    parts.push(`Domain=${session.domain}`);
  if (session.secure) parts.push('Secure');
  parts.push('HttpOnly', `SameSite=${cookie.sameSite}`);
  return parts.join('; ');
}

/** The session cookie, valid for `token_lifetime`. */
export function sessionCookie(session: Session, clientToken: string, now = Date.now()): string {
  return serialize(session, {
    name: SESSION_COOKIE,
    value: clientToken,
    path: '/',
    expires: new Date(now + session.tokenLifetimeMs),
    sameSite: 'Strict',
  });
}

/** Tells the browser to drop the session cookie (logout, or a session the server no longer accepts). */
export function clearedSessionCookie(session: Session): string {
  return serialize(session, {
    name: SESSION_COOKIE,
    value: '',
    path: '/',
    expires: new Date(0),
    sameSite: 'Strict',
  });
}

/** The state cookie, sent back only to `callbackPath` and only for `state_lifetime`. */
export function stateCookie(session: Session, value: string, callbackPath: string, now = Date.now()): string {
  return serialize(session, {
    name: STATE_COOKIE,
    value,
    path: callbackPath,
    expires: new Date(now + session.stateLifetimeMs),
    sameSite: 'Lax',
  });
}

export function clearedStateCookie(session: Session, callbackPath: string): string {
  return serialize(session, {
    name: STATE_COOKIE,
    value: '',
    path: callbackPath,
    expires: new Date(0),
    sameSite: 'Lax',
  });
}
