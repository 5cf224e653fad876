import type { Config } from '../../config/types.ts';
import type { DatabaseOptions } from './connect.ts';
import { defaultSnapshotPath } from './snapshot-file.ts';
import type { DatabaseSourceOptions } from './source.ts';

/** The connection settings of `db.*`; a `--url` flag wins over the config. */
export function databaseOptionsFrom(config: Config, urlFlag?: string): DatabaseOptions | undefined {
  const url = urlFlag ?? config.db.url;
  if (!url) return undefined;
  const { authToken, connectTimeoutMs, queryTimeoutMs } = config.db;
  return { url, ...(authToken ? { authToken } : {}), connectTimeoutMs, queryTimeoutMs };
}

/** What the server's database source needs from `db.*`, with the snapshot file's default. */
export function databaseSourceOptionsFrom(config: Config, watch: boolean): DatabaseSourceOptions {
  const { url, pollIntervalMs, snapshotPath } = config.db;
  const path = snapshotPath || defaultSnapshotPath(url);
  return {
    ...databaseOptionsFrom(config)!,
    pollIntervalMs,
    watch,
    ...(watch && path ? { snapshotPath: path } : {}),
  };
}
