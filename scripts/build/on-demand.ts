import { join } from 'node:path';
import { build, type Plugin } from 'esbuild';

// Drivers and vendor SDKs that only some configurations load stay out of the executable's main
// script: the script is held in memory for the life of the process (twice: the copy the SEA
// loader reads and the one V8 compiles from), and these are more than half of it. Each becomes
// an SEA asset of its own, compiled the first time the server requires it: a PostgreSQL URL,
// `storage.type: object`, a git repository.

/** Packages the server only imports lazily, for the configuration that needs them. */
export const ON_DEMAND_PACKAGES = [
  'mysql2',
  'pg',
  '@aws-sdk/client-s3',
  '@aws-sdk/client-ecr',
  '@azure/storage-blob',
  '@google-cloud/storage',
  'isomorphic-git',
] as const;

/**
 * For the main script: an import of an on-demand package becomes a `require` of it, which the
 * script's own `require` (ON_DEMAND_REQUIRE) answers from the assets. Marking the packages
 * external would not do: esbuild keeps an external dynamic `import()` as is, and Node would
 * resolve it from the disk beside the build's script, not from the executable.
 */
export const onDemandPlugin: Plugin = {
  name: 'ensign-on-demand',
  setup(build) {
    const filter = new RegExp(`^(${ON_DEMAND_PACKAGES.map((n) => n.replace(/[/.]/g, '\\$&')).join('|')})$`);
    build.onResolve({ filter }, (args) =>
      args.namespace === 'on-demand'
        ? { path: args.path, external: true }
        : { path: args.path, namespace: 'on-demand' },
    );
    build.onLoad({ filter: /.*/, namespace: 'on-demand' }, (args) => ({
      contents: `module.exports = require(${JSON.stringify(args.path)});`,
      loader: 'js',
    }));
  },
};

/** Where the executable looks a package up among its assets. */
const assetKey = (name: string) => `lib/${name}`;

/** Bundles each package into one CommonJS file under `dir`; returns the SEA assets to add. */
export async function buildOnDemandAssets(root: string, dir: string): Promise<Record<string, string>> {
  const assets: Record<string, string> = {};
  for (const name of ON_DEMAND_PACKAGES) {
    const outfile = join(dir, `${name.replace('/', '__')}.cjs`);
    await build({
      stdin: {
        contents: `module.exports = require(${JSON.stringify(name)});`,
        resolveDir: join(root, 'packages/server'),
        sourcefile: `${name}.cjs`,
        loader: 'js',
      },
      outfile,
      bundle: true,
      platform: 'node',
      format: 'cjs',
      target: 'node24',
      external: ['pg-native'],
      minify: true,
      keepNames: true,
      legalComments: 'none',
      charset: 'ascii',
      logLevel: 'warning',
    });
    assets[assetKey(name)] = outfile;
  }
  return assets;
}

/**
 * The start of the main script: `require` resolves an on-demand package from the executable's
 * assets (compiled once, then cached like any module), everything else as before.
 */
export const ON_DEMAND_REQUIRE = `var require = (function (builtin) {
  var loaded = new Map();
  return function require(id) {
    var hit = loaded.get(id);
    if (hit) return hit.exports;
    if (!${JSON.stringify(ON_DEMAND_PACKAGES)}.includes(id)) return builtin(id);
    var Module = builtin('node:module');
    var mod = new Module(id);
    mod.filename = id;
    loaded.set(id, mod);
    mod._compile(builtin('node:sea').getAsset(${JSON.stringify(assetKey(''))} + id, 'utf8'), 'ensign:' + id);
    return mod.exports;
  };
})(require);`;
