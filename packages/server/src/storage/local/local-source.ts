import type { LocalStorageConfig } from '../../config/types.ts';
import type { Logger } from '../../observability/logger.ts';
import { createTreeSource, type TreeSource } from '../declarative/tree-source.ts';
import { LocalTree } from './local-tree.ts';

export interface LocalSourceOptions extends LocalStorageConfig {
  /** Quiet period after a file event before looking, and before serving a change (default 100 ms). */
  debounceMs?: number;
  /**
   * How long a feature file must stay deleted or empty before its flags go (default 2 s): an
   * editor's save never serves "no flags" for a moment.
   */
  settleMs?: number;
  /** Watch and poll for changes after start (default true); false loads once. */
  watch?: boolean;
  /** Use file events besides polling (default true). */
  fileEvents?: boolean;
}

export interface LocalSource extends TreeSource {
  readonly path: string;
}

export const DEFAULT_SETTLE_MS = 2_000;

/** Serves a directory of Flipt feature files, selected by its `.flipt.yml` index. */
export function createLocalSource(options: LocalSourceOptions, logger: Logger): LocalSource {
  const debounceMs = options.debounceMs ?? 100;
  const tree = new LocalTree(options.path, { debounceMs, fileEvents: options.fileEvents ?? true }, logger);
  const source = createTreeSource(
    {
      type: 'local',
      tree,
      policy: {
        pollIntervalMs: options.pollIntervalMs,
        quietMs: debounceMs,
        vanishSettleMs: options.settleMs ?? DEFAULT_SETTLE_MS,
      },
      ...(options.watch === undefined ? {} : { watch: options.watch }),
    },
    logger,
  );
  return Object.assign(source, { path: options.path });
}
