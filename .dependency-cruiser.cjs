// Layering rules, checked by `npm run check`: each rule names a direction imports must never take.
module.exports = {
  forbidden: [
    {
      name: 'core-is-pure',
      comment: 'packages/core runs in browsers, Workers, Deno and Bun: no Node built-ins.',
      severity: 'error',
      from: { path: '^packages/core/src', pathNot: '\\.test\\.ts$' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'core-stands-alone',
      comment: 'packages/core depends on no other workspace package.',
      severity: 'error',
      from: { path: '^packages/core/' },
      to: { path: '^packages/(server|client|edge|ui)/' },
    },
    {
      name: 'edge-is-web-standard',
      comment: 'packages/edge runs on Workers, Deno, Bun and Vercel: no Node built-ins.',
      severity: 'error',
      from: { path: '^packages/edge/src' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'edge-without-server',
      comment: 'packages/edge shares code with the server through core, never by importing it.',
      severity: 'error',
      from: { path: '^packages/edge/src' },
      to: { path: '^packages/(server|ui)/' },
    },
    {
      name: 'storage-below-transports',
      comment: 'Storage backends know nothing of services, HTTP or gRPC.',
      severity: 'error',
      from: { path: '^packages/server/src/storage/' },
      to: { path: '^packages/server/src/(service|http|grpc|cli)/' },
    },
    {
      name: 'config-below-storage',
      comment: 'Config is read before any backend exists; storage reads config, never the reverse.',
      severity: 'error',
      from: { path: '^packages/server/src/config/' },
      to: { path: '^packages/server/src/(storage|service|http|grpc|cli)/' },
    },
    {
      name: 'transports-through-contracts',
      comment: 'HTTP, gRPC and services reach a database only through the storage contracts.',
      severity: 'error',
      from: { path: '^packages/server/src/(http|grpc|service)/' },
      to: { path: '^packages/server/src/storage/database/' },
    },
    {
      name: 'no-unresolvable',
      comment: 'An import that does not resolve is a broken build.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
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
