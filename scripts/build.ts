// Builds the publishable packages, each into its own folder that is a package root for
// `npm pack <folder>` / `npm publish <folder>`:
//   dist/core    @ensign/core    ESM + declarations (tsc)
//   dist/client  @ensign/client  ESM + declarations (tsc), CommonJS entry (esbuild)
//   dist/edge    @ensign/edge    ESM + declarations (tsc)
//   dist/server  @ensign/server  the bundled `ensign` command (esbuild)
// The workspace packages themselves point at their TypeScript sources, which Node runs directly
// in development and tests; only these folders are published (the workspace manifests are
// private so a stray `npm publish -w` cannot ship sources).
// Run: npm run build [-- --out DIR] [core client edge server]   (npm start builds the server)

import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { buildLibrary } from './build/library.ts';
import { buildServer } from './build/server.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const TARGETS = {
  core: (out: string) => buildLibrary({ root, dir: 'packages/core', out }),
  client: (out: string) => buildLibrary({ root, dir: 'packages/client', out, requireEntries: ['.'] }),
  edge: (out: string) => buildLibrary({ root, dir: 'packages/edge', out }),
  server: (out: string) => buildServer(root, out),
} as const;
type Target = keyof typeof TARGETS;

const { values, positionals } = parseArgs({
  options: { out: { type: 'string', default: `${root}dist` }, quiet: { type: 'boolean', default: false } },
  allowPositionals: true,
});
const wanted = (positionals.length > 0 ? positionals : Object.keys(TARGETS)) as Target[];
for (const target of wanted) {
  const run = TARGETS[target];
  if (run === undefined)
    throw new Error(`unknown package "${target}" (expected: ${Object.keys(TARGETS).join(', ')})`);
  await run(`${values.out}/${target}`);
  if (!values.quiet) console.log(`built ${values.out}/${target}`);
}
