import { EnsignError } from '@ensign/core';
import type { AuthenticationConfig } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import {
  type BrowserLogin,
  callbackUrl,
  createSession,
  GITHUB_PREFIX,
  loginFailure,
} from './session-login.ts';
import { checkLoginState, encodeLoginState, landingPath, newState } from './session-state.ts';
import type { AuthStore } from './store.ts';

// The GitHub method: GitHub's OAuth code flow (`server_url`, GitHub Enterprise included), then
// the user, organisations and teams from its REST API (`api_url`). Membership rules are
// Flipt's: with `allowed_organizations`, the user must belong to one of them and, when
// `allowed_teams` is set, to one of the listed teams of that organisation.

const TIMEOUT_MS = 5_000;
const CALLBACK_PATH = `${GITHUB_PREFIX}/callback`;

interface GithubUser {
  name?: string | null;
  email?: string | null;
  avatar_url?: string | null;
  login?: string | null;
  id?: number | null;
}

export function githubMetadata(user: GithubUser): Record<string, string> {
  const metadata: Record<string, string> = {};
  const set = (key: string, value: string | number | null | undefined) => {
    if (value !== undefined && value !== null && value !== '' && value !== 0) metadata[key] = String(value);
  };
  set('io.flipt.auth.github.name', user.name);
  set('io.flipt.auth.github.email', user.email);
  set('io.flipt.auth.github.picture', user.avatar_url);
  set('io.flipt.auth.github.sub', user.id);
  set('io.flipt.auth.github.preferred_username', user.login);
  set('io.flipt.auth.email', user.email);
  set('io.flipt.auth.name', user.name);
  set('io.flipt.auth.picture', user.avatar_url);
  return metadata;
}

/** Whether the user passes `allowed_organizations` / `allowed_teams` (Flipt's rule). */
export function membershipAllowed(
  config: AuthenticationConfig['methods']['github'],
  organisations: ReadonlySet<string>,
  teamsByOrganisation: ReadonlyMap<string, ReadonlySet<string>> | undefined,
): boolean {
  return config.allowedOrganizations.some((org) => {
    if (!organisations.has(org)) return false;
    if (teamsByOrganisation === undefined) return true;
    const mine = teamsByOrganisation.get(org);
    return (config.allowedTeams[org] ?? []).some((team) => mine?.has(team) ?? false);
  });
}

export function createGithubLogin(
  config: AuthenticationConfig,
  store: AuthStore,
  logger: Logger,
): BrowserLogin {
  const github = config.methods.github;
  const server = github.serverUrl.replace(/\/+$/, '');
  const api = github.apiUrl.replace(/\/+$/, '');
  const redirectUri = callbackUrl(github.redirectAddress, CALLBACK_PATH);

  const exchange = async (code: string): Promise<string> => {
    const response = await fetch(`${server}/login/oauth/access_token`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: github.clientId,
        client_secret: github.clientSecret,
        code,
        redirect_uri: redirectUri,
      }),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    const body = (await response.json().catch(() => ({}))) as Record<string, unknown>;
    // GitHub reports a bad code with 200 and an `error` field.
    if (!response.ok || typeof body['access_token'] !== 'string' || body['access_token'] === '')
      throw new EnsignError(
        'unauthenticated',
        `code exchange refused: ${String(body['error_description'] ?? body['error'] ?? response.status)}`,
      );
    return body['access_token'];
  };

  const get = async <T>(token: string, path: string): Promise<T> => {
    const response = await fetch(`${api}${path}`, {
      headers: { authorization: `Bearer ${token}`, accept: 'application/vnd.github+json' },
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new EnsignError('unavailable', `github ${path} answered ${response.status}`);
    return (await response.json()) as T;
  };

  return {
    async authorize(_provider, originalState) {
      const state = newState(originalState);
      const url = new URL(`${server}/login/oauth/authorize`);
      url.searchParams.set('client_id', github.clientId);
      url.searchParams.set('redirect_uri', redirectUri);
      url.searchParams.set('response_type', 'code');
      if (github.scopes.length > 0) url.searchParams.set('scope', github.scopes.join(' '));
      url.searchParams.set('state', state);
      return {
        authorizeUrl: url.href,
        stateCookie: encodeLoginState({ state }),
        callbackPath: CALLBACK_PATH,
      };
    },

    async callback(_provider, request, stateCookie) {
      checkLoginState(stateCookie, request.state);
      let metadata: Record<string, string>;
      try {
        const token = await exchange(request.code);
        const user = await get<GithubUser>(token, '/user');
        metadata = githubMetadata(user);
        if (github.allowedOrganizations.length > 0) {
          const orgs = await get<{ login: string }[]>(token, '/user/orgs');
          let teams: Map<string, Set<string>> | undefined;
          if (Object.keys(github.allowedTeams).length > 0) {
            teams = new Map();
            const list = await get<{ slug: string; organization: { login: string } }[]>(
              token,
              '/user/teams?per_page=100',
            );
            for (const team of list) {
              const org = team.organization?.login ?? '';
              if (!teams.has(org)) teams.set(org, new Set());
              teams.get(org)?.add(team.slug);
            }
          }
          if (!membershipAllowed(github, new Set(orgs.map((o) => o.login)), teams))
            throw new EnsignError('unauthenticated', 'request was not authenticated');
        }
      } catch (error) {
        throw loginFailure(logger, 'github callback', error);
      }
      const created = await createSession(store, config.session, 'METHOD_GITHUB', metadata);
      return { ...created, landing: landingPath(request.state) };
    },
  };
}
