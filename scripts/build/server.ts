import { chmodSync, copyFileSync, cpSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { publishedBase, type WorkspaceManifest } from './manifest.ts';
import { builtUi } from './ui.ts';

// The `ensign` command as published: one JavaScript file for the whole server (no TypeScript
// stripping and no module resolution at start-up) behind a small launcher (launcher.ts) that
// checks the Node version first, and the built web UI in ui/, where the bundle looks for it. The
// package declares only what stays outside the bundle.

/**
 * Loaded from node_modules when configured: libSQL's client (it has a native part) and pg's
 * optional native binding. The PostgreSQL and MySQL drivers are bundled; storage/database/
 * connect.ts imports them on first use, so SQLite users do not pay for them at start-up. The
 * published package depends on the externals the workspace declares.
 */
const EXTERNAL = ['@libsql/client', '@libsql/*', 'libsql', 'pg-native'];

export async function buildServer(root: string, out: string): Promise<void> {
  const manifest = JSON.parse(
    readFileSync(`${root}packages/server/package.json`, 'utf8'),
  ) as WorkspaceManifest;
  rmSync(out, { recursive: true, force: true });
  await build({
    entryPoints: [`${root}packages/server/src/cli/main.ts`],
    outfile: `${out}/ensign-server.mjs`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: EXTERNAL,
    // Bundled CommonJS dependencies call require(); give the ESM bundle one.
    banner: {
      js: "import { createRequire as __ensignRequire } from 'node:module';\nconst require = __ensignRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
  await build({
    entryPoints: [`${root}scripts/build/launcher.ts`],
    outfile: `${out}/ensign.mjs`,
    bundle: true,
    platform: 'node',
    format: 'esm',
    // Old enough to parse on any Node that could be asked to run it, so the version check runs.
    target: 'node18',
    banner: { js: '#!/usr/bin/env node' },
    logLevel: 'error',
  });
  chmodSync(`${out}/ensign.mjs`, 0o755);
  const ui = await builtUi();
  if (ui) cpSync(ui, `${out}/ui`, { recursive: true });

  const dependencies = Object.fromEntries(
    Object.entries(manifest.dependencies ?? {}).filter(([name]) => EXTERNAL.includes(name)),
  );
  const published = {
    ...publishedBase(manifest),
    bin: { ensign: './ensign.mjs' },
    files: ['ensign.mjs', 'ensign-server.mjs', ...(ui ? ['ui'] : [])],
    dependencies,
  };
  writeFileSync(`${out}/package.json`, `${JSON.stringify(published, null, 2)}\n`);
  copyFileSync(`${root}LICENSE`, `${out}/LICENSE`);
  copyFileSync(`${root}packages/server/README.md`, `${out}/README.md`);
}
