// Builds the web UI (packages/ui) into dist/ui, where the server serves it from (next to the
// bundled server, or from the repository when run from sources). Run: npm run build:ui
// (npm run build runs it). Prints the gzipped size of what the first page load fetches.

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
export const UI_OUT_DIR = `${root}dist/ui`;

/** Builds into `outDir`; returns the gzipped bytes of index.html plus the files it references. */
export async function buildUi(outDir: string = UI_OUT_DIR): Promise<{ firstLoadGzipBytes: number }> {
  const { build } = await import('vite');
  await build({
    root: `${root}packages/ui`,
    configFile: `${root}packages/ui/vite.config.ts`,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
  const html = readFileSync(`${outDir}/index.html`);
  let bytes = gzipSync(html).byteLength;
  for (const [, path] of html.toString().matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g))
    bytes += gzipSync(readFileSync(`${outDir}${path}`)).byteLength;
  return { firstLoadGzipBytes: bytes };
}

const viteInstalled = async (): Promise<boolean> =>
  import('vite').then(
    () => true,
    () => false,
  );

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  // Vite is a dev dependency: an install without dev dependencies serves the UI built before.
  if (!(await viteInstalled())) {
    console.log('vite is not installed (a dev dependency): dist/ui not rebuilt');
    process.exit(0);
  }
  const { firstLoadGzipBytes } = await buildUi();
  console.log(`built dist/ui (first load ${(firstLoadGzipBytes / 1024).toFixed(1)} KB gzipped)`);
}
