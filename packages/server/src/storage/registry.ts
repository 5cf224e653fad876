import type { Config } from '../config/types.ts';
import type { Logger } from '../observability/logger.ts';
import type { SnapshotSource } from './contract.ts';
import { databaseBackend } from './database/backend.ts';
import { gitBackend } from './git/backend.ts';
import { localBackend } from './local/backend.ts';
import { objectBackend } from './object/backend.ts';
import { ociBackend } from './oci/backend.ts';

/**
 * One storage backend as start-up sees it: the `storage.type` it serves and how to build its
 * source. Its keys and their checks live in config/storage/. `create` loads the backend's code
 * (and its SDKs) only when that backend is configured.
 */
export interface StorageBackend {
  readonly type: string;
  create(config: Config, logger: Logger, options: { watch: boolean }): Promise<SnapshotSource>;
}

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
