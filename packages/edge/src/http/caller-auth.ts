import { EnsignError } from '@ensign/core/errors';

// The handler's callers authenticate as Flipt's token method reads them: `Authorization: Bearer
// <token>`, or the `flipt_client_token` cookie of a browser session. Kept to this one function
// so it can follow the server's rules as they grow. /health stays open, as Flipt's does.

const BEARER = /^Bearer\s+(\S+)\s*$/i;
const COOKIE = /(?:^|;\s*)flipt_client_token=([^;]*)/;

function presented(request: Request): string | undefined {
  const header = request.headers.get('authorization');
  if (header) return BEARER.exec(header)?.[1];
  const cookie = request.headers.get('cookie');
  const match = cookie ? COOKIE.exec(cookie) : null;
  return match ? decodeURIComponent(match[1]!) : undefined;
}

/** Throws Flipt's unauthenticated error unless the request carries one of `tokens`. */
export function authenticate(request: Request, tokens: ReadonlySet<string>): void {
  const token = presented(request);
  if (token === undefined || !tokens.has(token)) {
    throw new EnsignError('unauthenticated', 'request was not authenticated');
  }
}
