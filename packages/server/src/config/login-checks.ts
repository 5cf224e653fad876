import { ConfigError } from './config-error.ts';
import type { AuthenticationConfig } from './types.ts';

// The browser login methods (OIDC, GitHub) checked together at start, as Flipt checks them: a
// session cookie needs a domain, each method needs what its provider will ask for, and a
// pattern or team list that could never match is a mistake to report now, not at first login.

const OIDC = 'authentication.methods.oidc';
const GITHUB = 'authentication.methods.github';

function required(value: string, key: string, why: string): void {
  if (value.trim() === '') throw new ConfigError(`${key} is required ${why}`, key);
}

function httpUrl(value: string, key: string): void {
  if (!/^https?:\/\/[^/]/.test(value))
    throw new ConfigError(`${key} must be an http(s) URL (got ${JSON.stringify(value)})`, key);
}

/** Cookies take a bare host name: Flipt strips a scheme and port the operator may have written. */
export function cookieDomain(domain: string): string {
  const trimmed = domain.trim();
  if (trimmed === '') return '';
  try {
    return new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(trimmed) ? trimmed : `http://${trimmed}`).hostname;
  } catch {
    throw new ConfigError(
      `authentication.session.domain is not a host name (got ${JSON.stringify(domain)})`,
      'authentication.session.domain',
    );
  }
}

export function checkBrowserLogin(auth: AuthenticationConfig): void {
  const { oidc, github } = auth.methods;
  auth.session.domain = cookieDomain(auth.session.domain);
  if (!oidc.enabled && !github.enabled) return;
  required(auth.session.domain, 'authentication.session.domain', 'when the oidc or github method is enabled');
  if (oidc.enabled) {
    for (const [name, provider] of Object.entries(oidc.providers)) {
      const key = `${OIDC}.providers.${name}`;
      required(provider.issuerUrl, `${key}.issuer_url`, 'for an OIDC provider');
      httpUrl(provider.issuerUrl, `${key}.issuer_url`);
      required(provider.clientId, `${key}.client_id`, 'for an OIDC provider');
      required(provider.redirectAddress, `${key}.redirect_address`, 'for an OIDC provider');
      httpUrl(provider.redirectAddress, `${key}.redirect_address`);
    }
    for (const pattern of oidc.emailMatches) {
      try {
        new RegExp(pattern);
      } catch (error) {
        throw new ConfigError(
          `${OIDC}.email_matches: ${JSON.stringify(pattern)} is not a regular expression (${(error as Error).message})`,
          `${OIDC}.email_matches`,
        );
      }
    }
  }
  if (github.enabled) {
    required(github.clientId, `${GITHUB}.client_id`, 'when the github method is enabled');
    required(github.clientSecret, `${GITHUB}.client_secret`, 'when the github method is enabled');
    required(github.redirectAddress, `${GITHUB}.redirect_address`, 'when the github method is enabled');
    httpUrl(github.redirectAddress, `${GITHUB}.redirect_address`);
    httpUrl(github.serverUrl, `${GITHUB}.server_url`);
    httpUrl(github.apiUrl, `${GITHUB}.api_url`);
    // Without read:org GitHub lists no private memberships, and everyone would be refused.
    if (github.allowedOrganizations.length > 0 && !github.scopes.includes('read:org'))
      throw new ConfigError(
        `${GITHUB}.scopes must include "read:org" when allowed_organizations is set`,
        `${GITHUB}.scopes`,
      );
    for (const org of Object.keys(github.allowedTeams))
      if (!github.allowedOrganizations.includes(org))
        throw new ConfigError(
          `${GITHUB}.allowed_teams names organisation "${org}", which is not in allowed_organizations`,
          `${GITHUB}.allowed_teams`,
        );
  }
}
