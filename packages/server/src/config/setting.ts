import type { Kind } from './kinds.ts';
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
  readonly apply?: (config: Config, value: T) => void;
  /** For a key that is implemented for some values only: why this value is not (yet). */
  readonly refuse?: (value: T) => string | undefined;
  /**
   * Accepted with a warning because Ensign's design already gives what the key asks for, or it
   * asks for something Ensign never does (update checks, telemetry): the reason, for the log.
   */
  readonly noEffect?: string;
}

type Options<T> = Omit<Setting<T>, 'key' | 'kind' | 'default' | 'doc'>;

export function setting<T>(
  key: string,
  kind: Kind<T>,
  defaultValue: T | undefined,
  doc: string,
  options: Options<T> = {},
): Setting {
  return { key, kind, default: defaultValue, doc, ...options } as Setting;
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
