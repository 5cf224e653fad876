import { type Kind, nonEmptyString } from './kinds.ts';
import type { Config } from './types.ts';

/**
 * One config.yml key. The table of them (settings.ts) drives the file, the `ENSIGN_`/`FLIPT_`
 * environment overrides, `${VAR}` substitution, unknown-key detection, `/meta/config`
 * redaction, `ensign config init` and the JSON Schema, so no key can be handled in one and
 * forgotten in another.
 */
export interface Setting<T = unknown> {
  /** Dotted snake_case path as in Flipt's config.yml; `*` stands for a name the user picks. */
  readonly key: string;
  readonly kind: Kind<T>;
  /** The value when the key is absent (undefined: computed at start-up, see `defaultNote`). */
  readonly default: T | undefined;
  readonly defaultNote?: string;
  /** One line for `config init` and the schema. */
  readonly doc: string;
  /** A password, token or key: never shown by /meta/config, the logs or error messages. */
  readonly secret?: boolean;
  /**
   * Puts the value into Config. Absent means Ensign does not implement the key yet: the server
   * refuses to start when it is set to anything but its default or an empty value, rather than
   * silently doing less than the operator asked (implementing a key = adding `apply`).
   */
  readonly apply?: (config: Config, value: T, raw: unknown, key: string) => void;
  /**
   * Declared with the older `setting(key, (config, raw, key) => …)` form: its apply reads the
   * raw value itself, and without a typed declaration the schema cannot describe it.
   */
  readonly legacy?: boolean;
  /** For a key that is implemented for some values only: why this value is not (yet). */
  readonly refuse?: (value: T) => string | undefined;
  /**
   * Accepted with a warning because Ensign's design already gives what the key asks for, or it
   * asks for something Ensign never does (update checks, telemetry): the reason, for the log.
   */
  readonly noEffect?: string;
}

type Options<T> = Omit<Setting<T>, 'key' | 'kind' | 'default' | 'doc'>;

/** The older form's apply: reads and checks the raw value (YAML value or environment string). */
export type RawApply = (config: Config, raw: unknown, key: string) => void;

/** Takes the value as given; the older form's apply checks it. */
const asGiven: Kind<unknown> = { parse: (_key, raw) => raw, schema: {}, example: undefined };

export function setting<T>(
  key: string,
  kind: Kind<T>,
  defaultValue: T | undefined,
  doc: string,
  options?: Options<T>,
): Setting;
/** The older form, kept so code written against it still works: see `mergeSettings`. */
export function setting(key: string, apply: RawApply): Setting;
export function setting<T>(
  key: string,
  kind: Kind<T> | RawApply,
  defaultValue?: T,
  doc = '',
  options: Options<T> = {},
): Setting {
  if (typeof kind === 'function') {
    const apply = kind;
    return {
      key,
      kind: asGiven,
      default: undefined,
      doc,
      legacy: true,
      apply: (c, _v, raw) => apply(c, raw, key),
    };
  }
  return { key, kind, default: defaultValue, doc, ...options } as Setting;
}

/**
 * One entry per key. A later entry for a key declared earlier implements it: its `apply` is
 * taken (and any `refuse` dropped, since the key is now supported) while the declared type,
 * default, doc and secrecy stay, so the value is still checked as declared.
 */
export function mergeSettings(entries: readonly Setting[]): Setting[] {
  const byKey = new Map<string, Setting>();
  for (const entry of entries) {
    const declared = byKey.get(entry.key);
    if (!declared) {
      byKey.set(entry.key, entry);
      continue;
    }
    const { refuse: _dropped, ...rest } = declared;
    byKey.set(entry.key, entry.legacy ? { ...rest, ...(entry.apply ? { apply: entry.apply } : {}) } : entry);
  }
  return [...byKey.values()];
}

/** The older form's helper: a trimmed string that must not be empty. */
export function nonEmpty(key: string, raw: unknown): string {
  return nonEmptyString.parse(key, raw);
}

/**
 * Whether `value` asks for nothing beyond what an absent key would: the default, empty, or
 * `false` (turning off a feature Ensign lacks is already true).
 */
export function isDefaultOrEmpty(setting: Setting, value: unknown): boolean {
  if (value === '' || value === false || value === undefined || value === null) return true;
  if (Array.isArray(value) && value.length === 0) return true;
  if (typeof value === 'object' && value !== null && Object.keys(value).length === 0) return true;
  return JSON.stringify(value) === JSON.stringify(setting.default);
}

/** `db.auth_token` → `db.authToken`: where an implemented key's value sits in Config. */
export function configPathOf(key: string): string {
  return key.replace(/_([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/** `server.http_port` → `SERVER_HTTP_PORT`, the part after `ENSIGN_` / `FLIPT_`. */
export function environmentSuffixOf(key: string): string {
  return key.replaceAll('.', '_').toUpperCase();
}
