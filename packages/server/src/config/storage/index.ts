import type { Setting } from '../setting.ts';
import type { Config } from '../types.ts';
import { defaultGitSettings, GIT_SETTINGS, validateGitSettings } from './git.ts';
import { defaultObjectSettings, OBJECT_SETTINGS, validateObjectSettings } from './object.ts';
import { defaultOciSettings, OCI_SETTINGS, validateOciSettings } from './oci.ts';

/**
 * The config side of each `storage.type` Ensign implements: its own `storage.<type>.*` keys and
 * the checks that need several of them. The storage side (storage/registry.ts) maps the same
 * types to the code that serves them; a test keeps the two lists equal.
 */
export interface StorageTypeKeys {
  readonly type: string;
  readonly settings?: readonly Setting[];
  /** A fresh copy of the settings when none of the keys is given. */
  defaults?(): unknown;
  /** Throws ConfigError when the keys do not make a usable backend together. */
  validate?(config: Config): void;
}

export const STORAGE_TYPES: readonly StorageTypeKeys[] = [
  // database's keys are db.*; local's are typed in Config (settings.ts): both predate backends.
  { type: 'database' },
  { type: 'local' },
  { type: 'git', settings: GIT_SETTINGS, defaults: defaultGitSettings, validate: validateGitSettings },
  { type: 'oci', settings: OCI_SETTINGS, defaults: defaultOciSettings, validate: validateOciSettings },
  {
    type: 'object',
    settings: OBJECT_SETTINGS,
    defaults: defaultObjectSettings,
    validate: validateObjectSettings,
  },
];

export const STORAGE_TYPE_SETTINGS: readonly Setting[] = STORAGE_TYPES.flatMap((t) => t.settings ?? []);

export function storageTypeKeys(type: string): StorageTypeKeys | undefined {
  return STORAGE_TYPES.find((t) => t.type === type);
}

/** Every backend's settings at their defaults, keyed by type (Config.storage.backends). */
export function defaultBackendSettings(): Record<string, unknown> {
  return Object.fromEntries(STORAGE_TYPES.flatMap((t) => (t.defaults ? [[t.type, t.defaults()]] : [])));
}
