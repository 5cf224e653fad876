// The package.json that ships: the workspace manifest (name, version, license, engines,
// dependencies: one source of truth) with its entry points moved from the TypeScript sources the
// workspace runs to the JavaScript the build writes. Development fields (scripts, devDependencies)
// stay behind.

export interface WorkspaceManifest {
  name: string;
  version: string;
  description?: string;
  license?: string;
  engines?: Record<string, string>;
  keywords?: string[];
  exports?: Record<string, string>;
  bin?: Record<string, string>;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, unknown>;
  [field: string]: unknown;
}

/** Fields copied as they are, in the order npm shows them. */
const KEPT = [
  'name',
  'version',
  'description',
  'keywords',
  'license',
  'type',
  'engines',
  'sideEffects',
] as const;

export function publishedBase(manifest: WorkspaceManifest): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of KEPT) if (manifest[field] !== undefined) out[field] = manifest[field];
  for (const field of ['name', 'version', 'license', 'engines'] as const) {
    if (out[field] === undefined) throw new Error(`${manifest.name}: package.json needs "${field}"`);
  }
  return out;
}

/** `./src/openfeature/web.ts` → `./openfeature/web` (the path without extension in dist). */
export function distStem(sourcePath: string): string {
  const match = /^\.\/src\/(.+)\.ts$/.exec(sourcePath);
  if (!match) throw new Error(`export target ${sourcePath} is not a TypeScript file under ./src`);
  return `./${match[1]}`;
}

/**
 * `exports` of a library built by tsc: every source entry becomes its JavaScript and declaration
 * files; entries listed in `requireEntries` also get a CommonJS file (`<stem>.cjs`).
 */
export function libraryExports(
  sourceExports: Record<string, string>,
  requireEntries: ReadonlySet<string> = new Set(),
): Record<string, Record<string, string>> {
  const out: Record<string, Record<string, string>> = {};
  for (const [entry, source] of Object.entries(sourceExports)) {
    const stem = distStem(source);
    out[entry] = requireEntries.has(entry)
      ? { types: `${stem}.d.ts`, import: `${stem}.js`, require: `${stem}.cjs` }
      : { types: `${stem}.d.ts`, default: `${stem}.js` };
  }
  return out;
}
