// Where a request's credential comes from (spec §3.7): `Authorization: Bearer <client token>`,
// `Authorization: JWT <jwt>`, or, for browser sessions, the `flipt_client_token` cookie.

export type HeaderGetter = (name: string) => string | undefined;

export type Credential =
  | { kind: 'client-token'; token: string; fromCookie: boolean }
  | { kind: 'jwt'; token: string };

export const SESSION_COOKIE = 'flipt_client_token';

export function credentialOf(header: HeaderGetter, allowCookie: boolean): Credential | undefined {
  const authorization = header('authorization');
  if (authorization) {
    const space = authorization.indexOf(' ');
    if (space === -1) return undefined;
    const scheme = authorization.slice(0, space).toLowerCase();
    const token = authorization.slice(space + 1).trim();
    if (token === '') return undefined;
    if (scheme === 'bearer') return { kind: 'client-token', token, fromCookie: false };
    if (scheme === 'jwt') return { kind: 'jwt', token };
    return undefined;
  }
  if (!allowCookie) return undefined;
  const token = cookieValue(header('cookie'), SESSION_COOKIE);
  return token ? { kind: 'client-token', token, fromCookie: true } : undefined;
}

export function cookieValue(cookies: string | undefined, name: string): string | undefined {
  if (!cookies) return undefined;
  for (const part of cookies.split(';')) {
    const eq = part.indexOf('=');
    if (eq !== -1 && part.slice(0, eq).trim() === name) return decodeURIComponent(part.slice(eq + 1).trim());
  }
  return undefined;
}
