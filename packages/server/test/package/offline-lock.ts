// A package-lock.json for a scratch project that installs our packed tarballs. Every registry
// package is pinned to the version and integrity the repository's own lock resolved, so
// `npm ci --offline` installs from npm's cache (filled by the repository's `npm ci`) and needs no
// network, not even for registry metadata, which `npm ci` never caches.

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  peerDependenciesMeta?: Record<string, { optional?: boolean }>;
  [field: string]: unknown;
}

export interface Lockfile {
  lockfileVersion: number;
  packages: Record<string, LockEntry>;
  [field: string]: unknown;
}

export interface PackedTarball {
  /** `@ensign/core` */
  name: string;
  /** Relative to the scratch project, e.g. `../tarballs/ensign-core-0.1.0.tgz`. */
  file: string;
  integrity: string;
  /** The package.json inside the tarball. */
  manifest: LockEntry & { name: string; version: string };
  /** Where the package lives in the repository (`packages/core`), to find its nested deps. */
  workspace: string;
}

const WORKSPACE_FIELDS = [
  'dependencies',
  'peerDependencies',
  'peerDependenciesMeta',
  'bin',
  'engines',
  'license',
];

export function offlineLock(repoLock: Lockfile, tarballs: readonly PackedTarball[]): Lockfile {
  const packages: Record<string, LockEntry> = {
    '': {
      name: 'ensign-pack-test',
      dependencies: Object.fromEntries(tarballs.map((t) => [t.name, `file:${t.file}`])),
    },
  };
  const ours = new Set(tarballs.map((t) => t.name));
  // Repository path prefix → scratch path prefix, for dependencies nested under a workspace.
  const relocations = tarballs.map((t) => [`${t.workspace}/`, `node_modules/${t.name}/`] as const);
  const relocate = (repoPath: string): string => {
    for (const [from, to] of relocations)
      if (repoPath.startsWith(from)) return to + repoPath.slice(from.length);
    return repoPath;
  };

  const pending: Array<{ repoPath: string; entry: LockEntry }> = [];
  for (const tarball of tarballs) {
    const entry: LockEntry = {
      version: tarball.manifest.version,
      resolved: `file:${tarball.file}`,
      integrity: tarball.integrity,
    };
    for (const field of WORKSPACE_FIELDS)
      if (tarball.manifest[field] !== undefined) entry[field] = tarball.manifest[field];
    packages[`node_modules/${tarball.name}`] = entry;
    pending.push({ repoPath: tarball.workspace, entry });
  }

  while (pending.length > 0) {
    const { repoPath, entry } = pending.pop()!;
    const optionalPeers = new Set(
      Object.entries(entry.peerDependenciesMeta ?? {})
        .filter(([, meta]) => meta.optional)
        .map(([name]) => name),
    );
    const wanted = [
      ...Object.keys(entry.dependencies ?? {}),
      ...Object.keys(entry.optionalDependencies ?? {}),
      ...Object.keys(entry.peerDependencies ?? {}).filter((name) => !optionalPeers.has(name)),
    ];
    for (const name of wanted) {
      if (ours.has(name)) continue;
      const found = resolveFrom(repoLock, repoPath, name);
      if (found === undefined) {
        if (entry.optionalDependencies?.[name] !== undefined) continue;
        throw new Error(`${name} (needed by ${repoPath}) is not in the repository's package-lock.json`);
      }
      const target = relocate(found);
      if (packages[target] !== undefined) continue;
      const { dev: _dev, devOptional: _devOptional, peer: _peer, ...copy } = repoLock.packages[found]!;
      packages[target] = copy;
      pending.push({ repoPath: found, entry: copy });
    }
  }
  return { name: 'ensign-pack-test', lockfileVersion: 3, requires: true, packages };
}

/** Node's lookup: `<dir>/node_modules/<name>`, then each enclosing package's, then the root's. */
function resolveFrom(lock: Lockfile, fromPath: string, name: string): string | undefined {
  let dir = fromPath;
  for (;;) {
    const candidate = dir === '' ? `node_modules/${name}` : `${dir}/node_modules/${name}`;
    const entry = lock.packages[candidate];
    if (entry !== undefined && !entry.link) return candidate;
    if (dir === '') return undefined;
    const cut = dir.lastIndexOf('/node_modules/');
    dir = cut >= 0 ? dir.slice(0, cut) : '';
  }
}
