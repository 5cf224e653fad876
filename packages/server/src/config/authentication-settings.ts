import { ConfigError } from './config-error.ts';
import type { Setting } from './settings.ts';
import type { AuthenticationConfig, Config } from './types.ts';
import { parseBoolean, parseChoice, parseDurationMs, parseString, parseStringList } from './values.ts';

// `authentication.*` keys (spec §7.2), read exactly where Flipt reads them. Methods Ensign does
// not implement yet stop the server when enabled instead of leaving the API open.

type Apply = (auth: AuthenticationConfig, raw: unknown, key: string) => void;

function auth(key: string, apply: Apply): Setting {
  return { key, apply: (config: Config, raw: unknown) => apply(config.authentication, raw, key) };
}

function setting(key: string, apply: (config: Config, raw: unknown, key: string) => void): Setting {
  return { key, apply: (config, raw) => apply(config, raw, key) };
}

/** Combinations Flipt refuses too. */
export function checkAuthentication(config: Config): void {
  const jwt = config.authentication.methods.jwt;
  if (jwt.enabled && (jwt.jwksUrl === '') === (jwt.publicKeyFile === ''))
    throw new ConfigError(
      'authentication.methods.jwt needs exactly one of jwks_url and public_key_file',
      'authentication.methods.jwt',
    );
  if (jwt.jwksUrl !== '' && !/^https?:\/\//.test(jwt.jwksUrl))
    throw new ConfigError(
      `authentication.methods.jwt.jwks_url must be an http(s) URL (got ${JSON.stringify(jwt.jwksUrl)})`,
      'authentication.methods.jwt.jwks_url',
    );
  checkAuthorization(config);
}

/** A policy needs an identity to judge, and a policy to apply. */
function checkAuthorization(config: Config): void {
  if (!config.authorization.required) return;
  if (!config.authentication.required)
    throw new ConfigError(
      'authorization.required needs authentication.required to be true',
      'authorization.required',
    );
  if (config.authorization.policyPath === '')
    throw new ConfigError(
      'authorization.required needs authorization.local.policy.path (the policy file)',
      'authorization.local.policy.path',
    );
}

function stringMap(key: string, raw: unknown): Record<string, string> {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw new ConfigError(`${key} must be a mapping of strings`, key);
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) out[name] = parseString(`${key}.${name}`, value);
  return out;
}

const NOT_YET = ['oidc', 'github', 'kubernetes'] as const;

export const AUTHENTICATION_SETTINGS: readonly Setting[] = [
  auth('authentication.required', (a, raw, key) => {
    a.required = parseBoolean(key, raw);
  }),
  auth('authentication.exclude.management', (a, raw, key) => {
    a.exclude.management = parseBoolean(key, raw);
  }),
  auth('authentication.exclude.evaluation', (a, raw, key) => {
    a.exclude.evaluation = parseBoolean(key, raw);
  }),
  auth('authentication.exclude.ofrep', (a, raw, key) => {
    a.exclude.ofrep = parseBoolean(key, raw);
  }),
  // Deprecated in Flipt and ignored there: /meta always needs credentials when required.
  auth('authentication.exclude.metadata', (_a, raw, key) => {
    parseBoolean(key, raw);
  }),
  auth('authentication.session.domain', (a, raw, key) => {
    a.session.domain = parseString(key, raw);
  }),
  auth('authentication.session.secure', (a, raw, key) => {
    a.session.secure = parseBoolean(key, raw);
  }),
  auth('authentication.session.token_lifetime', (a, raw, key) => {
    a.session.tokenLifetimeMs = parseDurationMs(key, raw);
  }),
  auth('authentication.session.state_lifetime', (a, raw, key) => {
    a.session.stateLifetimeMs = parseDurationMs(key, raw);
  }),
  auth('authentication.session.csrf.key', (a, raw, key) => {
    a.session.csrf.key = parseString(key, raw);
  }),
  auth('authentication.session.csrf.secure', (a, raw, key) => {
    a.session.csrf.secure = parseBoolean(key, raw);
  }),
  auth('authentication.session.csrf.trusted_origins', (a, raw, key) => {
    a.session.csrf.trustedOrigins = parseStringList(key, raw);
  }),
  auth('authentication.methods.token.enabled', (a, raw, key) => {
    a.methods.token.enabled = parseBoolean(key, raw);
  }),
  auth('authentication.methods.token.cleanup.interval', (a, raw, key) => {
    a.methods.token.cleanup.intervalMs = parseDurationMs(key, raw);
  }),
  auth('authentication.methods.token.cleanup.grace_period', (a, raw, key) => {
    a.methods.token.cleanup.gracePeriodMs = parseDurationMs(key, raw);
  }),
  auth('authentication.methods.token.bootstrap.token', (a, raw, key) => {
    a.methods.token.bootstrap.token = parseString(key, raw);
  }),
  auth('authentication.methods.token.bootstrap.expiration', (a, raw, key) => {
    a.methods.token.bootstrap.expirationMs = parseDurationMs(key, raw);
  }),
  auth('authentication.methods.token.bootstrap.metadata', (a, raw, key) => {
    a.methods.token.bootstrap.metadata = stringMap(key, raw);
  }),
  auth('authentication.methods.jwt.enabled', (a, raw, key) => {
    a.methods.jwt.enabled = parseBoolean(key, raw);
  }),
  auth('authentication.methods.jwt.jwks_url', (a, raw, key) => {
    a.methods.jwt.jwksUrl = parseString(key, raw);
  }),
  auth('authentication.methods.jwt.public_key_file', (a, raw, key) => {
    a.methods.jwt.publicKeyFile = parseString(key, raw);
  }),
  auth('authentication.methods.jwt.validate_claims.issuer', (a, raw, key) => {
    a.methods.jwt.validateClaims.issuer = parseString(key, raw);
  }),
  auth('authentication.methods.jwt.validate_claims.subject', (a, raw, key) => {
    a.methods.jwt.validateClaims.subject = parseString(key, raw);
  }),
  auth('authentication.methods.jwt.validate_claims.audiences', (a, raw, key) => {
    a.methods.jwt.validateClaims.audiences = parseStringList(key, raw);
  }),
  ...NOT_YET.map((method) =>
    auth(`authentication.methods.${method}.enabled`, (_a, raw, key) => {
      if (parseBoolean(key, raw))
        throw new ConfigError(
          `authentication method "${method}" is not supported yet (supported: token)`,
          key,
        );
    }),
  ),
  setting('authorization.required', (c, raw, key) => {
    c.authorization.required = parseBoolean(key, raw);
  }),
  setting('authorization.backend', (_c, raw, key) => {
    parseChoice(key, raw, ['local']);
  }),
  setting('authorization.local.policy.path', (c, raw, key) => {
    c.authorization.policyPath = parseString(key, raw);
  }),
  setting('authorization.local.policy.poll_interval', (c, raw, key) => {
    c.authorization.pollIntervalMs = parseDurationMs(key, raw);
  }),
  setting('authorization.local.data.path', (_c, raw, key) => {
    if (parseString(key, raw) !== '')
      throw new ConfigError(
        `${key} is not supported: roles and their data live together in authorization.local.policy.path`,
        key,
      );
  }),
];
