import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Logger } from '../observability/logger.ts';
import { type Policy, PolicyError, parsePolicy } from './policy.ts';

// `authorization.local.policy.path`, re-read every `poll_interval`. A file that breaks later is
// logged and the last good policy keeps deciding; one that is broken at start stops the server.

export interface PolicyHolder {
  current(): Policy;
  /** Re-reads the file now (also what the timer does). */
  reload(): Promise<void>;
  close(): void;
}

export function loadPolicyFile(path: string, pollIntervalMs: number, logger: Logger): PolicyHolder {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new PolicyError(
      `cannot read authorization.local.policy.path ${JSON.stringify(path)}: ${(error as Error).message}`,
    );
  }
  let policy: Policy;
  try {
    policy = parsePolicy(text);
  } catch (error) {
    throw new PolicyError(`${path}: ${(error as Error).message}`);
  }
  let reloading: Promise<void> | undefined;
  const reload = () => {
    reloading ??= (async () => {
      try {
        const next = await readFile(path, 'utf8');
        if (next === text) return;
        policy = parsePolicy(next);
        text = next;
        logger.info({ path }, 'authorization policy reloaded');
      } catch (error) {
        logger.error(
          { path, err: error },
          'authorization policy not reloaded; the previous one stays in force',
        );
      } finally {
        reloading = undefined;
      }
    })();
    return reloading;
  };
  const timer = setInterval(() => void reload(), pollIntervalMs);
  timer.unref();
  return { current: () => policy, reload, close: () => clearInterval(timer) };
}
