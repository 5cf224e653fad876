import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

// Bundles a worker the way a user's deploy tool would (wrangler, deno deploy, bun build all use
// esbuild or the like): one file, no node_modules at run time.

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));

export interface Bundled {
  dir: string;
  file: string;
  code: string;
}

export async function bundleWorker(
  entry: string,
  format: 'esm' | 'iife' = 'esm',
  minify = false,
  platform: 'browser' | 'node' = 'browser',
): Promise<Bundled> {
  const result = await build({
    stdin: { contents: entry, resolveDir: ROOT, loader: 'ts', sourcefile: 'worker.ts' },
    bundle: true,
    format,
    platform,
    target: 'es2022',
    minify,
    write: false,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const dir = mkdtempSync(join(tmpdir(), 'ensign-edge-worker-'));
  const file = join(dir, format === 'esm' ? 'worker.mjs' : 'worker.js');
  writeFileSync(file, code);
  return { dir, file, code };
}

/** A module worker whose settings come from its env (Workers text bindings, or a fixed object). */
export const WORKER_FROM_ENV = `
import { createEdgeHandler } from '@ensign/edge';
export default createEdgeHandler((env) => ({
  origin: env.ORIGIN,
  token: env.ORIGIN_TOKEN,
  refreshMs: Number(env.REFRESH_MS),
  authentication: { tokens: [env.EDGE_TOKEN] },
}));
`;

/** Picks a free loopback port (for runtimes that must be told one). */
export async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** Polls `url` until it answers (any status) or `timeoutMs` passes. */
export async function waitForHttp(url: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      return;
    } catch (error) {
      if (Date.now() > deadline) throw new Error(`${url} did not answer within ${timeoutMs} ms: ${error}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}
