// The bundled server (`dist/server/ensign.mjs`, as `npm start` runs it) in a child process, for
// benchmarks that compare two configurations of the real program side by side.

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../dist/server/ensign.mjs', import.meta.url));

/** Core case (b): `flag_001`, rule 5 of 50 on the readonly-style dataset, answers `variant_002`. */
export const EVALUATION_BODY = JSON.stringify({
  namespaceKey: 'default',
  flagKey: 'flag_001',
  entityId: 'some-fixed-entity-id',
  context: { in_segment: 'segment_005' },
});

/** Builds the server bundle, so a benchmark measures the sources as they are. */
export function buildServerBundle(): void {
  execFileSync(
    process.execPath,
    [fileURLToPath(new URL('../../scripts/build.ts', import.meta.url)), '--quiet', 'server'],
    { stdio: 'ignore' },
  );
}

export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

export interface BundledServer {
  child: ChildProcess;
  url: string;
}

/**
 * Starts `ensign server --config <path>` (this tree's bundle, or `cli`, e.g. a baseline tree's)
 * and resolves once `/health` answers 200.
 */
export async function startBundledServer(
  configPath: string,
  port: number,
  stderr: 'inherit' | 'ignore' | number = 'inherit',
  cli = CLI,
): Promise<BundledServer> {
  const child = spawn(process.execPath, [cli, 'server', '--config', configPath], {
    stdio: ['ignore', 'ignore', stderr],
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return { child, url };
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  child.kill('SIGKILL');
  throw new Error('server did not become healthy within 30 s');
}

export type BenchStorage = { localPath: string } | { databaseUrl: string };

/**
 * Writes a config file for a benchmark server on loopback: HTTP on `port`, no gRPC listener,
 * warnings only (plus `logLines` under `log:`), flags from a directory or a database.
 */
export function writeServerConfig(
  path: string,
  port: number,
  storage: BenchStorage,
  logLines: string[] = [],
): string {
  const source =
    'localPath' in storage
      ? ['storage:', '  type: local', '  local:', `    path: ${JSON.stringify(storage.localPath)}`]
      : ['db:', `  url: ${storage.databaseUrl}`];
  const lines = [
    'log:',
    '  level: warn',
    ...logLines.map((line) => `  ${line}`),
    'server:',
    '  host: 127.0.0.1',
  ];
  lines.push(`  http_port: ${port}`, '  grpc_port: 0', ...source, '');
  writeFileSync(path, lines.join('\n'));
  return path;
}
