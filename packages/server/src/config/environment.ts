import { ConfigError } from './config-error.ts';
import type { KeyNode } from './key-tree.ts';
import { environmentSuffixOf, type Setting } from './setting.ts';
import { closest } from './suggest.ts';

export type Environment = Readonly<Record<string, string | undefined>>;

/** A value from `ENSIGN_<KEY_PATH>` or `FLIPT_<KEY_PATH>`. */
export interface EnvironmentValue {
  readonly key: string;
  readonly setting: Setting;
  readonly raw: string;
  /** The variable it came from, for error messages. */
  readonly name: string;
}

const PREFIXES = ['ENSIGN_', 'FLIPT_'] as const;

/**
 * Kubernetes injects these for every Service (a Service named `ensign-server` gives
 * `ENSIGN_SERVER_SERVICE_HOST`, `ENSIGN_SERVER_PORT_8080_TCP`...): never config, never a typo.
 */
const SERVICE_LINK =
  /_(SERVICE_HOST|SERVICE_PORT(_[A-Z0-9_]+)?|PORT(_\d+_(TCP|UDP|SCTP)(_(PROTO|PORT|ADDR))?)?)$/;

/**
 * The config values set by environment variables. `ENSIGN_` wins over `FLIPT_`; empty variables
 * count as unset. A variable that starts like a config section (`ENSIGN_STORAGE_…`) but names
 * no key is an error, so a typo cannot silently fall back to the default. (`version` is a file
 * format marker, not something to override: images commonly set `FLIPT_VERSION`.)
 */
export function environmentValues(
  env: Environment,
  settings: readonly Setting[],
  tree: KeyNode,
): EnvironmentValue[] {
  const values = new Map<string, EnvironmentValue>();
  const claimed = new Set<string>();
  const overridable = settings.filter((s) => s.key !== 'version' && s.key !== 'experimental');
  for (const prefix of [...PREFIXES].reverse()) {
    for (const [name, raw] of Object.entries(env)) {
      if (!name.startsWith(prefix) || raw === undefined) continue;
      const match = matchSetting(name.slice(prefix.length), overridable);
      if (!match) continue;
      claimed.add(name);
      if (raw !== '') values.set(match.key, { ...match, raw, name });
    }
  }
  const sections = [...tree.children.entries()]
    .filter(([, node]) => node.children.size > 0)
    .map(([section]) => `${section.toUpperCase()}_`);
  for (const name of Object.keys(env)) {
    const prefix = PREFIXES.find((p) => name.startsWith(p));
    if (!prefix || claimed.has(name)) continue;
    const suffix = name.slice(prefix.length);
    if (!sections.some((section) => suffix.startsWith(section)) || SERVICE_LINK.test(suffix)) continue;
    const names = overridable.filter((s) => !s.key.includes('*')).map((s) => environmentSuffixOf(s.key));
    const guess = closest(suffix, names);
    throw new ConfigError(
      `environment variable ${name} names no config key${guess ? ` (did you mean ${prefix}${guess}?)` : ''}`,
    );
  }
  return [...values.values()];
}

function matchSetting(
  suffix: string,
  settings: readonly Setting[],
): { key: string; setting: Setting } | undefined {
  for (const setting of settings) {
    if (!setting.key.includes('*')) {
      if (environmentSuffixOf(setting.key) === suffix) return { key: setting.key, setting };
      continue;
    }
    // A user-named segment: FLIPT_AUTHENTICATION_METHODS_OIDC_PROVIDERS_GOOGLE_CLIENT_ID.
    const [head, tail] = environmentSuffixOf(setting.key).split('*') as [string, string];
    if (suffix.startsWith(head) && suffix.endsWith(tail) && suffix.length > head.length + tail.length) {
      const name = suffix.slice(head.length, suffix.length - tail.length).toLowerCase();
      return { key: setting.key.replace('*', name), setting };
    }
  }
  return undefined;
}
