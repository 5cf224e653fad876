import { EnsignError } from '@ensign/core';
import type { HeaderGetter } from './credentials.ts';

// Cross-origin write protection for cookie sessions, with the rules of Go's
// http.CrossOriginProtection that Flipt applies when `authentication.session.csrf.key` is set:
// safe methods pass; a browser's Sec-Fetch-Site decides when present; otherwise an Origin that
// does not match Host is refused; requests with neither (non-browser clients) pass.

const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

export function createCsrfCheck(trustedOrigins: readonly string[]) {
  const trusted = new Set(trustedOrigins.map((o) => o.toLowerCase()));
  return (method: string, header: HeaderGetter): void => {
    if (SAFE.has(method)) return;
    const origin = header('origin');
    if (origin !== undefined && trusted.has(origin.toLowerCase())) return;
    const site = header('sec-fetch-site');
    if (site !== undefined) {
      if (site === 'same-origin' || site === 'none') return;
      throw new EnsignError('permission_denied', 'cross-origin request detected from Sec-Fetch-Site header');
    }
    if (origin === undefined) return;
    let host: string;
    try {
      host = new URL(origin).host;
    } catch {
      host = '';
    }
    if (host !== '' && host === header('host')) return;
    throw new EnsignError(
      'permission_denied',
      'cross-origin request detected, and/or browser is out of date: Sec-Fetch-Site is missing, and Origin does not match Host',
    );
  };
}
