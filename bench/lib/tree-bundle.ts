import { join } from 'node:path';
import { build } from 'esbuild';

// The server bundle of a source tree (this one, or a baseline revision unpacked by
// baseline-tree.ts), built the same way for both so a comparison measures the sources and not
// the build. Only the server: no launcher, no web UI.

export async function bundleServerOf(root: string, outfile: string): Promise<string> {
  await build({
    entryPoints: [join(root, 'packages/server/src/cli/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['@libsql/client', '@libsql/*', 'libsql', 'pg-native'],
    banner: {
      js: "import { createRequire as __ensignRequire } from 'node:module';\nconst require = __ensignRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  return outfile;
}
