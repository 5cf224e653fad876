import { execFileSync } from 'node:child_process';
import { copyFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { build } from 'esbuild';
import { libraryExports, publishedBase, type WorkspaceManifest } from './manifest.ts';

// A library package (core, client) as published: tsc writes ESM JavaScript and declarations from
// the package's tsconfig.build.json, esbuild adds a CommonJS file for the entries that need one,
// and the folder gets its package.json, LICENSE and README, ready for `npm pack <folder>`.

export interface LibraryBuild {
  root: string;
  /** e.g. `packages/client` */
  dir: string;
  out: string;
  /** Export entries (`.`) that also get a CommonJS build. */
  requireEntries?: readonly string[];
}

export async function buildLibrary({ root, dir, out, requireEntries = [] }: LibraryBuild): Promise<void> {
  const manifest = JSON.parse(readFileSync(`${root}${dir}/package.json`, 'utf8')) as WorkspaceManifest;
  rmSync(out, { recursive: true, force: true });
  execFileSync(`${root}node_modules/.bin/tsc`, ['-p', `${root}${dir}/tsconfig.build.json`, '--outDir', out], {
    stdio: 'inherit',
  });

  const sourceExports = manifest.exports ?? {};
  for (const entry of requireEntries) {
    const source = sourceExports[entry];
    if (source === undefined) throw new Error(`${manifest.name}: no export "${entry}" to build as CommonJS`);
    // Dependencies stay outside: a CommonJS user shares @ensign/core (ESM, loaded with require(esm))
    // with ESM users instead of carrying a second copy.
    const external = [
      ...Object.keys(manifest.dependencies ?? {}),
      ...Object.keys(manifest.peerDependencies ?? {}),
    ];
    await build({
      entryPoints: [`${root}${dir}/${source}`],
      outfile: `${out}/${source.replace(/^\.\/src\//, '').replace(/\.ts$/, '.cjs')}`,
      bundle: true,
      format: 'cjs',
      platform: 'neutral',
      target: 'es2022',
      external,
      logLevel: 'warning',
    });
  }

  const published = {
    ...publishedBase(manifest),
    exports: libraryExports(sourceExports, new Set(requireEntries)),
    types: './index.d.ts',
    files: ['**/*.js', '**/*.cjs', '**/*.d.ts'],
    ...pick(manifest, ['dependencies', 'peerDependencies', 'peerDependenciesMeta']),
  };
  writeFileSync(`${out}/package.json`, `${JSON.stringify(published, null, 2)}\n`);
  copyFileSync(`${root}LICENSE`, `${out}/LICENSE`);
  copyFileSync(`${root}${dir}/README.md`, `${out}/README.md`);
}

export function pick(manifest: WorkspaceManifest, fields: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) if (manifest[field] !== undefined) out[field] = manifest[field];
  return out;
}
