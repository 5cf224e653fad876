import { type FSWatcher, watch } from 'node:fs';
import type { Logger } from '../../observability/logger.ts';

export interface WatchOptions {
  /** Editors write a file in several steps; wait this long after the last event. */
  debounceMs: number;
  logger: Logger;
}

/**
 * Calls `onChange` (debounced) when something under `root` may have changed. File events only
 * make changes quick: the pipeline's poll covers what they miss (network filesystems, editors
 * that replace the directory, platforms without recursive watch).
 */
export function watchDirectory(root: string, onChange: () => void, options: WatchOptions): { close(): void } {
  let debounce: NodeJS.Timeout | undefined;
  const trigger = () => {
    clearTimeout(debounce);
    debounce = setTimeout(onChange, options.debounceMs);
    debounce.unref();
  };
  const watcher = startWatching(root, trigger, options.logger);
  return {
    close() {
      clearTimeout(debounce);
      watcher?.close();
    },
  };
}

function startWatching(root: string, trigger: () => void, logger: Logger): FSWatcher | undefined {
  try {
    const watcher = watch(root, { recursive: true, persistent: false }, trigger);
    watcher.on('error', (error) => {
      logger.warn({ err: error, path: root }, 'file watching stopped, relying on polling');
      watcher.close();
    });
    return watcher;
  } catch (error) {
    logger.warn({ err: error, path: root }, 'file watching unavailable, relying on polling');
    return undefined;
  }
}
