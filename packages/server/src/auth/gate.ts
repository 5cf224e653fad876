import type { AuthenticationConfig } from '../config/types.ts';
import { type Authentication, isExpired, scopedNamespace, unauthenticated } from './authentication.ts';
import { type Credential, credentialOf, type HeaderGetter } from './credentials.ts';
import type { JwtVerifier } from './jwt.ts';
import type { AuthStore } from './store.ts';
import type { Surface } from './surfaces.ts';

// The one decision every transport asks for before it splits into fast and slow paths: does
// this surface need credentials, and whose are these? A token is looked up once and then kept
// for a few seconds, so the evaluation hot path pays a hash and a map lookup, not a query.

export interface AuthGate {
  /**
   * The caller on `surface`, or undefined when the surface needs no credentials. Throws
   * unauthenticated. Synchronous when the token is cached.
   */
  authenticate(
    surface: Surface,
    header: HeaderGetter,
    allowCookie: boolean,
  ): Authentication | undefined | Promise<Authentication | undefined>;
  /** Drops cached lookups (after a token was deleted or expired here). */
  forget(): void;
}

/** How long a looked-up token is trusted without asking the store again (other replicas' deletes). */
export const TOKEN_CACHE_MS = 5_000;
const CACHE_LIMIT = 10_000;

/** Surfaces a namespace-scoped token may use (Flipt's three, plus OFREP: Ensign scopes it too). */
const SCOPED_SURFACES: ReadonlySet<Surface> = new Set(['management', 'evaluation', 'ofrep']);

export function createGate(
  config: AuthenticationConfig,
  store: AuthStore | undefined,
  jwt: JwtVerifier | undefined,
): AuthGate {
  const cache = new Map<string, { auth: Authentication; until: number }>();

  const needs = (surface: Surface): boolean => {
    if (!config.required) return false;
    switch (surface) {
      case 'public':
        return false;
      case 'management':
      case 'evaluation':
      case 'ofrep':
        return !config.exclude[surface];
      default:
        return true;
    }
  };

  const accept = (surface: Surface, auth: Authentication): Authentication => {
    if (isExpired(auth)) throw unauthenticated();
    if (scopedNamespace(auth) !== undefined && !SCOPED_SURFACES.has(surface)) throw unauthenticated();
    return auth;
  };

  const lookup = async (surface: Surface, credential: Credential): Promise<Authentication> => {
    const auth =
      credential.kind === 'jwt'
        ? await jwt?.(credential.token)
        : await store?.byClientToken(credential.token);
    if (!auth) throw unauthenticated();
    if (cache.size >= CACHE_LIMIT) cache.clear();
    // Never trusted past its own expiry (a JWT's exp, a token's expiresAt).
    const expires = auth.expiresAt ? Date.parse(auth.expiresAt) : Number.POSITIVE_INFINITY;
    cache.set(credential.token, { auth, until: Math.min(Date.now() + TOKEN_CACHE_MS, expires) });
    return accept(surface, auth);
  };

  return {
    authenticate(surface, header, allowCookie) {
      if (!needs(surface)) return undefined;
      const credential = credentialOf(header, allowCookie);
      if (credential === undefined) throw unauthenticated();
      // Keyed by the credential itself: hashing it on every request would cost more than the
      // evaluation. The cache holds a token no longer than the request that brought it did, 5 s.
      const cached = cache.get(credential.token);
      if (cached !== undefined && cached.until > Date.now()) return accept(surface, cached.auth);
      return lookup(surface, credential);
    },
    forget: () => cache.clear(),
  };
}
