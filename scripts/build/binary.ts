import { createHash } from 'node:crypto';
import {
  chmodSync,
  copyFileSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { join, relative, sep } from 'node:path';
import { build } from 'esbuild';
import { inject } from 'postject';
import { UI_ASSET_PREFIX } from '../../packages/server/src/http/ui/embedded.ts';
import { buildOnDemandAssets, ON_DEMAND_REQUIRE, onDemandPlugin } from './on-demand.ts';
import { builtUi } from './ui.ts';

// `ensign` as one self-contained executable: Node's single executable application (SEA) holding
// the whole server as one CommonJS script. Node 24's SEA runs CommonJS only, hence an entry
// without top-level await (cli/entry.ts) and `import.meta.url` replaced by the executable's
// own location. Everything the server needs is bundled; the one exception is libSQL's native
// client, which a libSQL URL loads from a node_modules folder beside the executable. The built web
// UI rides along as SEA assets (http/ui/embedded.ts reads them), and so do the database drivers
// and storage SDKs only some configurations use (on-demand.ts).

/** Resource and fuse names Node looks for in a single executable application. */
const SEA_RESOURCE = 'NODE_SEA_BLOB';
const SEA_FUSE = 'NODE_SEA_FUSE_fce680ab2cc467b6e072b8b5df1996b2';

export interface BinaryBuild {
  path: string;
  bytes: number;
  sha256: string;
}

export interface BinaryOptions {
  /**
   * Start from a V8 start-up snapshot (cli/sea-entry.ts) instead of compiling the script at each
   * start with Node's code cache (the default). Measured: ~30 ms less CPU to healthy, ~24 MB more
   * resident; not worth it against the memory goals (bench/README.md, "Single executable and
   * footprint").
   */
  snapshot?: boolean;
}

export async function buildBinary(
  root: string,
  out: string,
  { snapshot = false }: BinaryOptions = {},
): Promise<BinaryBuild> {
  const work = join(out, 'sea');
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  const script = join(work, 'ensign.cjs');
  await build({
    entryPoints: [join(root, `packages/server/src/cli/${snapshot ? 'sea-entry' : 'entry-main'}.ts`)],
    outfile: script,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node24',
    external: ['@libsql/client', '@libsql/*', 'libsql', 'pg-native'],
    plugins: [onDemandPlugin],
    // Read when used, not when the script loads: loading happened on the build machine.
    define: { 'import.meta.url': '__ensignExecutable.url' },
    // The script stays in memory as a string for as long as the process runs (functions compile
    // from it lazily): minified and pure ASCII it is 4.7 MB of one-byte characters instead of
    // 10 MB held as 20 MB of two-byte ones, and its code cache shrinks with it. Names are kept
    // for error messages and class checks that read them.
    minify: true,
    keepNames: true,
    legalComments: 'none',
    charset: 'ascii',
    banner: {
      js:
        ON_DEMAND_REQUIRE +
        "\nvar __ensignExecutable = { get url() { return require('node:url').pathToFileURL(process.execPath).href; } }, __ensignBuiltinsBefore = process.moduleLoadList?.length;",
    },
    logLevel: 'warning',
  });

  const blob = join(work, 'ensign.blob');
  const seaConfig = join(work, 'sea-config.json');
  const ui = await builtUi();
  writeFileSync(
    seaConfig,
    JSON.stringify({
      main: script,
      output: blob,
      disableExperimentalSEAWarning: true,
      // The heap after loading the pure part of the server (cli/sea-entry.ts), or a code cache:
      // the two exclude each other.
      ...(snapshot ? { useSnapshot: true } : { useCodeCache: true }),
      // A young generation of 1 MB semi-spaces instead of V8's default (up to 16 MB): loading a
      // large dataset no longer leaves MB of heap pages resident, and evaluation throughput did
      // not move (bench/README.md, "Single executable and footprint").
      execArgv: ['--max-semi-space-size=1'],
      assets: { ...(ui ? uiAssets(ui) : {}), ...(await buildOnDemandAssets(root, work)) },
    }),
  );
  const { execFileSync } = await import('node:child_process');
  // A failing snapshot build explains itself on stderr, which the thrown error quotes.
  execFileSync(process.execPath, ['--experimental-sea-config', seaConfig], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });

  const path = join(out, 'ensign');
  rmSync(path, { force: true });
  copyFileSync(process.execPath, path);
  chmodSync(path, 0o755);
  await inject(path, SEA_RESOURCE, readFileSync(blob), { sentinelFuse: SEA_FUSE });
  rmSync(work, { recursive: true, force: true });

  const bytes = readFileSync(path);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  writeFileSync(`${path}.sha256`, `${sha256}  ensign\n`);
  return { path, bytes: bytes.length, sha256 };
}

/** Every file of the built UI under the asset key the server looks it up by (`ui/index.html`). */
function uiAssets(dir: string): Record<string, string> {
  const assets: Record<string, string> = {};
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    assets[UI_ASSET_PREFIX + relative(dir, path).split(sep).join('/')] = path;
  }
  return assets;
}
