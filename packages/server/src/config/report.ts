import { REDACTED, redactUrl, scrubSecrets } from './secrets.ts';
import { configPathOf } from './setting.ts';
import { SETTINGS } from './settings.ts';
import type { Config } from './types.ts';

/** Where implemented secret keys sit in Config (`db.auth_token` → `db.authToken`). */
export const SECRET_CONFIG_PATHS: ReadonlySet<string> = new Set(
  SETTINGS.filter((s) => s.secret && s.apply).map((s) => configPathOf(s.key)),
);

/**
 * The config as `/meta/config` shows it: camelCase keys like Flipt's, secrets masked (`***`
 * when set, so an operator can see that they are), URLs without passwords or secret parameters.
 */
export function reportConfig(config: Config): unknown {
  return redactNode(config, '');
}

function redactNode(value: unknown, path: string): unknown {
  if (SECRET_CONFIG_PATHS.has(path)) return value === '' || value === undefined ? value : REDACTED;
  if (typeof value === 'string') return scrubSecrets(redactUrl(value));
  if (Array.isArray(value)) return value.map((item) => redactNode(item, path));
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, child]) => [key, redactNode(child, path ? `${path}.${key}` : key)]),
  );
}
