// Builds the web UI (packages/ui) into dist/ui, which the server package (dist/server/ui) and the
// single executable (as SEA assets) carry, and which the server serves from when run from sources.
// Run: npm run build:ui (npm run build runs it, and the server and executable builds run it when
// dist/ui is stale; --if-stale skips the build when dist/ui is newer than every UI source). Prints
// the gzipped size of what the first page load fetches.

import { existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
export const UI_OUT_DIR = `${root}dist/ui`;

/**
 * Builds into `outDir`, swapping the new build in at the end so a server reading the directory
 * meanwhile sees the old build or the new one, not half of each.
 */
export async function buildUi(outDir: string = UI_OUT_DIR): Promise<{ firstLoadGzipBytes: number }> {
  const { build } = await import('vite');
  const staging = `${outDir}.building-${process.pid}`;
  await build({
    root: `${root}packages/ui`,
    configFile: `${root}packages/ui/vite.config.ts`,
    logLevel: 'warn',
    build: { outDir: staging, emptyOutDir: true },
  });
  rmSync(outDir, { recursive: true, force: true });
  renameSync(staging, outDir);
  return { firstLoadGzipBytes: firstLoadGzipBytes(outDir) };
}

/** index.html plus the files it references, gzipped: what a browser fetches on first load. */
export function firstLoadGzipBytes(dir: string = UI_OUT_DIR): number {
  const html = readFileSync(`${dir}/index.html`);
  let bytes = gzipSync(html).byteLength;
  for (const [, path] of html.toString().matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g))
    bytes += gzipSync(readFileSync(`${dir}${path}`)).byteLength;
  return bytes;
}

/** The newest modification time under `path` (files only). */
function newest(path: string): number {
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

/** Whether dist/ui is newer than every file of packages/ui. */
export function uiUpToDate(): boolean {
  const built = `${UI_OUT_DIR}/index.html`;
  return existsSync(built) && statSync(built).mtimeMs >= newest(`${root}packages/ui`);
}

export const viteInstalled = async (): Promise<boolean> =>
  import('vite').then(
    () => true,
    () => false,
  );

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--if-stale') && uiUpToDate()) process.exit(0);
  // Vite is a dev dependency: an install without dev dependencies serves the UI built before.
  if (!(await viteInstalled())) {
    console.log('vite is not installed (a dev dependency): dist/ui not rebuilt');
    process.exit(0);
  }
  const { firstLoadGzipBytes } = await buildUi();
  console.log(`built dist/ui (first load ${(firstLoadGzipBytes / 1024).toFixed(1)} KB gzipped)`);
}
