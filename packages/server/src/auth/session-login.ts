import { EnsignError } from '@ensign/core';
import type { AuthenticationConfig } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { Authentication, AuthMethod } from './authentication.ts';
import type { AuthStore } from './store.ts';

// What the OIDC and GitHub methods share: two steps over a browser redirect, each ending in a
// stored authentication that lives for `session.token_lifetime`, and the URLs the login page
// reads from the method listing.

export interface LoginStart {
  authorizeUrl: string;
  /** The state cookie's value: handed back, unchanged, to `callback`. */
  stateCookie: string;
  /** Where the state cookie must be sent back: the callback's path. */
  callbackPath: string;
}

export interface LoginResult {
  clientToken: string;
  authentication: Authentication;
  /** Where the browser lands afterwards. */
  landing: string;
}

export interface BrowserLogin {
  /** `provider` is ignored by GitHub. `state` is the caller's own, returned to it afterwards. */
  authorize(provider: string, state: string): Promise<LoginStart>;
  callback(
    provider: string,
    request: { code: string; state: string; iss?: string },
    stateCookie: string | undefined,
  ): Promise<LoginResult>;
}

export const OIDC_PREFIX = '/auth/v1/method/oidc';
export const GITHUB_PREFIX = '/auth/v1/method/github';

/** The method listing's metadata, as Flipt's login page reads it. */
export function loginMetadata(
  config: AuthenticationConfig,
  method: AuthMethod,
): Record<string, unknown> | undefined {
  if (method === 'METHOD_OIDC') {
    const providers = Object.fromEntries(
      Object.keys(config.methods.oidc.providers).map((name) => [
        name,
        {
          authorize_url: `${OIDC_PREFIX}/${name}/authorize`,
          callback_url: `${OIDC_PREFIX}/${name}/callback`,
        },
      ]),
    );
    return { providers };
  }
  if (method === 'METHOD_GITHUB')
    return { authorize_url: `${GITHUB_PREFIX}/authorize`, callback_url: `${GITHUB_PREFIX}/callback` };
  return undefined;
}

/** Stores the logged-in user as an authentication of `method` for one session lifetime. */
export function createSession(
  store: AuthStore,
  session: AuthenticationConfig['session'],
  method: AuthMethod,
  metadata: Record<string, string>,
) {
  return store.create({
    method,
    metadata,
    expiresAt: new Date(Date.now() + session.tokenLifetimeMs).toISOString(),
  });
}

/** `https://flags.example.com/` + path, without a doubled slash. */
export function callbackUrl(redirectAddress: string, path: string): string {
  return `${redirectAddress.replace(/\/+$/, '')}${path}`;
}

/**
 * A provider that cannot be reached is a dependency failure (503), logged with its cause; any
 * other failure of the exchange is the login's fault and is refused (401) with the reason.
 */
export function loginFailure(logger: Logger, what: string, error: unknown): EnsignError {
  if (error instanceof EnsignError) return error;
  const cause = error as { name?: string; message?: string; cause?: unknown };
  const unreachable =
    cause?.name === 'TimeoutError' ||
    cause?.name === 'AbortError' ||
    (cause?.name === 'TypeError' && /fetch failed/.test(cause.message ?? ''));
  logger.warn({ err: error }, `${what} failed`);
  if (unreachable) return new EnsignError('unavailable', `${what}: the provider could not be reached`);
  return new EnsignError('unauthenticated', `${what}: ${cause?.message ?? String(error)}`);
}
