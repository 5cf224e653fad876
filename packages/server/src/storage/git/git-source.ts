import { readFile } from 'node:fs/promises';
import type { GitSettings } from '../../config/storage/git.ts';
import type { Logger } from '../../observability/logger.ts';
import type { SnapshotSource } from '../contract.ts';
import { createTreeSource } from '../declarative/tree-source.ts';
import { gitHttpClient } from './git-http.ts';
import { GitTree } from './git-tree.ts';

/** Follows a git repository's branch, commit or highest semver tag (`storage.type: git`). */
export async function createGitSource(
  settings: GitSettings,
  logger: Logger,
  options: { watch: boolean },
): Promise<SnapshotSource> {
  const ca = settings.caCertPath ? await readFile(settings.caCertPath, 'utf8') : settings.caCertBytes;
  const http = gitHttpClient({
    ...(authorization(settings) ? { authorization: authorization(settings)! } : {}),
    ...(ca ? { ca } : {}),
    insecureSkipTls: settings.insecureSkipTls,
  });
  const tree = new GitTree({
    url: settings.repository,
    ref: settings.ref,
    refType: settings.refType,
    directory: settings.directory,
    http,
    ...(settings.backend.type === 'local' && settings.backend.path
      ? { clonePath: settings.backend.path }
      : {}),
    referenceTtlMs: settings.pollIntervalMs,
  });
  return createTreeSource(
    { type: 'git', tree, policy: { pollIntervalMs: settings.pollIntervalMs }, watch: options.watch },
    logger,
  );
}

function authorization(settings: GitSettings): string | undefined {
  const { username, password } = settings.basic;
  if (username !== '') return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
  if (settings.token.accessToken !== '') return `Bearer ${settings.token.accessToken}`;
  return undefined;
}
