import { EnsignError } from '@ensign/core';
import * as client from 'openid-client';
import type { AuthenticationConfig, OidcProviderConfig } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import { type BrowserLogin, callbackUrl, createSession, loginFailure, OIDC_PREFIX } from './session-login.ts';
import {
  checkLoginState,
  encodeLoginState,
  type LoginState,
  landingPath,
  newState,
} from './session-state.ts';
import type { AuthStore } from './store.ts';

// The OIDC method: authorization code flow against each configured provider, found through its
// discovery document (fetched on first use, again after a failure). The ID token is verified by
// openid-client (signature, issuer, audience, nonce, PKCE); the user's claims become Flipt's
// `io.flipt.auth.oidc.*` metadata.

/** Every provider request gives up after this long (seconds, openid-client's unit). */
const PROVIDER_TIMEOUT_S = 5;

const CLAIM_KEYS = {
  email: 'io.flipt.auth.oidc.email',
  email_verified: 'io.flipt.auth.oidc.email_verified',
  name: 'io.flipt.auth.oidc.name',
  profile: 'io.flipt.auth.oidc.profile',
  picture: 'io.flipt.auth.oidc.picture',
  preferred_username: 'io.flipt.auth.oidc.preferred_username',
  sub: 'io.flipt.auth.oidc.sub',
} as const;

/** Flipt's method-independent keys, so policies can name a user without knowing the method. */
const COMMON_KEYS = {
  email: 'io.flipt.auth.email',
  name: 'io.flipt.auth.name',
  picture: 'io.flipt.auth.picture',
};

const DEFAULT_SCOPES = ['openid'];

export function oidcMetadata(claims: Record<string, unknown>): Record<string, string> {
  const metadata: Record<string, string> = {};
  const set = (key: string, value: unknown) => {
    if (value === undefined || value === null || value === '') return;
    metadata[key] = typeof value === 'string' ? value : String(value);
  };
  for (const [claim, key] of Object.entries(CLAIM_KEYS)) set(key, claims[claim]);
  for (const [claim, key] of Object.entries(COMMON_KEYS)) set(key, claims[claim]);
  return metadata;
}

export function createOidcLogin(
  config: AuthenticationConfig,
  store: AuthStore,
  logger: Logger,
): BrowserLogin {
  const { session } = config;
  const { oidc } = config.methods;
  const emailPatterns = oidc.emailMatches.map((pattern) => new RegExp(pattern));
  const discovered = new Map<string, Promise<client.Configuration>>();

  const providerOf = (name: string): OidcProviderConfig => {
    const provider = Object.hasOwn(oidc.providers, name) ? oidc.providers[name] : undefined;
    if (!provider) throw new EnsignError('not_found', `oidc provider "${name}" not found`);
    return provider;
  };

  const discover = (name: string, provider: OidcProviderConfig): Promise<client.Configuration> => {
    let pending = discovered.get(name);
    if (!pending) {
      const issuer = new URL(provider.issuerUrl);
      pending = client.discovery(
        issuer,
        provider.clientId,
        undefined,
        provider.clientSecret ? client.ClientSecretBasic(provider.clientSecret) : client.None(),
        {
          timeout: PROVIDER_TIMEOUT_S,
          // Plain http is the operator's explicit choice (a provider on a private network).
          ...(issuer.protocol === 'http:' ? { execute: [client.allowInsecureRequests] } : {}),
        },
      );
      discovered.set(name, pending);
      // A failed discovery is tried again by the next login, not remembered.
      pending.catch(() => discovered.delete(name));
    }
    return pending;
  };

  const callbackPath = (name: string) => `${OIDC_PREFIX}/${name}/callback`;

  return {
    async authorize(name, originalState) {
      const provider = providerOf(name);
      let configuration: client.Configuration;
      try {
        configuration = await discover(name, provider);
      } catch (error) {
        throw loginFailure(logger, `oidc provider "${name}" discovery`, error);
      }
      const login: LoginState = {
        state: newState(originalState),
        // The configured nonce is Flipt's; without one, each login gets its own.
        nonce: provider.nonce || client.randomNonce(),
      };
      const parameters: Record<string, string> = {
        redirect_uri: callbackUrl(provider.redirectAddress, callbackPath(name)),
        scope: [...new Set([...DEFAULT_SCOPES, ...provider.scopes])].join(' '),
        state: login.state,
        nonce: login.nonce ?? '',
      };
      if (provider.usePkce) {
        login.codeVerifier = client.randomPKCECodeVerifier();
        parameters['code_challenge'] = await client.calculatePKCECodeChallenge(login.codeVerifier);
        parameters['code_challenge_method'] = 'S256';
      }
      return {
        authorizeUrl: client.buildAuthorizationUrl(configuration, parameters).href,
        stateCookie: encodeLoginState(login),
        callbackPath: callbackPath(name),
      };
    },

    async callback(name, request, stateCookie) {
      const provider = providerOf(name);
      const login = checkLoginState(stateCookie, request.state);
      const redirectUri = callbackUrl(provider.redirectAddress, callbackPath(name));
      let claims: Record<string, unknown>;
      try {
        const configuration = await discover(name, provider);
        const current = new URL(redirectUri);
        current.searchParams.set('code', request.code);
        current.searchParams.set('state', request.state);
        const issuer = configuration.serverMetadata().issuer;
        // The provider names itself in the response (RFC 9207); the REST callback forwards it.
        current.searchParams.set('iss', request.iss ?? issuer);
        const tokens = await client.authorizationCodeGrant(
          configuration,
          current,
          {
            expectedState: login.state,
            expectedNonce: login.nonce ?? '',
            idTokenExpected: true,
            ...(login.codeVerifier ? { pkceCodeVerifier: login.codeVerifier } : {}),
          },
          { redirect_uri: redirectUri },
        );
        const idClaims = tokens.claims() as Record<string, unknown> | undefined;
        if (!idClaims) throw new EnsignError('unauthenticated', 'the provider sent no ID token');
        claims = { ...idClaims };
        // Providers may keep profile claims out of the ID token and serve them from userinfo.
        if (configuration.serverMetadata().userinfo_endpoint && tokens.access_token) {
          const info = await client.fetchUserInfo(
            configuration,
            tokens.access_token,
            String(idClaims['sub']),
          );
          claims = { ...info, ...idClaims };
        }
      } catch (error) {
        throw loginFailure(logger, `oidc provider "${name}" callback`, error);
      }
      if (emailPatterns.length > 0) {
        const email = typeof claims['email'] === 'string' ? claims['email'] : '';
        if (!emailPatterns.some((pattern) => pattern.test(email)))
          throw new EnsignError('unauthenticated', 'email is not allowed');
      }
      const metadata = { ...oidcMetadata(claims), 'io.flipt.auth.oidc.provider': name };
      const created = await createSession(store, session, 'METHOD_OIDC', metadata);
      return { ...created, landing: landingPath(request.state) };
    },
  };
}
