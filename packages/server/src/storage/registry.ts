import type { Setting } from '../config/settings.ts';
import type { Config } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { SnapshotSource } from './contract.ts';
import { databaseBackend } from './database/backend.ts';
import { gitBackend } from './git/backend.ts';
import { localBackend } from './local/backend.ts';
import { objectBackend } from './object/backend.ts';
import { ociBackend } from './oci/backend.ts';

/**
 * One storage backend as config and start-up see it. The descriptor is light: settings and
 * validation only; `create` loads the backend's code (and its SDKs) when it is configured.
 */
export interface StorageBackend {
  /** The `storage.type` value. */
  readonly type: string;
  /** Its own config keys (`storage.git.*`, ...), read like every other key. */
  readonly settings?: readonly Setting[];
  /** Checks combinations once every key is read; throws ConfigError. */
  validate?(config: Config): void;
  create(config: Config, logger: Logger, options: { watch: boolean }): Promise<SnapshotSource>;
}

/** Every backend Ensign implements. A `storage.type` not listed here refuses to start. */
export const STORAGE_BACKENDS: readonly StorageBackend[] = [
  databaseBackend,
  localBackend,
  gitBackend,
  ociBackend,
  objectBackend,
];

export function storageBackend(type: string): StorageBackend | undefined {
  return STORAGE_BACKENDS.find((backend) => backend.type === type);
}

export const STORAGE_BACKEND_SETTINGS: readonly Setting[] = STORAGE_BACKENDS.flatMap(
  (backend) => backend.settings ?? [],
);
