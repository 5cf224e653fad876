// Layering rules, checked by `npm run check`: each rule names a direction imports must never take.
/** A rule that fails the check when any import goes `from` → `to`. */
const never = (name, comment, from, to) => ({ name, comment, severity: 'error', from, to });

module.exports = {
  forbidden: [
    never(
      'core-is-pure',
      'packages/core runs in browsers, Workers, Deno and Bun: no Node built-ins.',
      { path: '^packages/core/src', pathNot: '\\.test\\.ts$' },
      { dependencyTypes: ['core'] },
    ),
    never(
      'core-stands-alone',
      'packages/core depends on no other workspace package.',
      { path: '^packages/core/' },
      { path: '^packages/(server|client|edge|ui)/' },
    ),
    never(
      'edge-is-web-standard',
      'packages/edge runs on Workers, Deno, Bun and Vercel: no Node built-ins.',
      { path: '^packages/edge/src' },
      { dependencyTypes: ['core'] },
    ),
    never(
      'edge-without-server',
      'packages/edge shares code with the server through core, never by importing it.',
      { path: '^packages/edge/src' },
      { path: '^packages/(server|ui)/' },
    ),
    never(
      'storage-below-transports',
      'Storage backends know nothing of services, HTTP or gRPC.',
      { path: '^packages/server/src/storage/' },
      { path: '^packages/server/src/(service|http|grpc|cli)/' },
    ),
    never(
      'config-below-storage',
      'Config is read before any backend exists; storage reads config, never the reverse.',
      { path: '^packages/server/src/config/' },
      { path: '^packages/server/src/(storage|service|http|grpc|cli)/' },
    ),
    never(
      'transports-through-contracts',
      'HTTP, gRPC and services reach a database only through the storage contracts.',
      { path: '^packages/server/src/(http|grpc|service)/' },
      { path: '^packages/server/src/storage/database/' },
    ),
    never(
      'no-unresolvable',
      'An import that does not resolve is a broken build.',
      {},
      { couldNotResolve: true },
    ),
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '(^|/)node_modules/|/gen/' },
    // swc parses TypeScript (type-only imports included): dependency-cruiser cannot drive tsc 7 yet.
    parser: 'swc',
    tsConfig: { fileName: 'tsconfig.json' },
    combinedDependencies: false,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.d.ts'],
      mainFields: ['module', 'main', 'types'],
    },
  },
};
