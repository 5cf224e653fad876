// The published `ensign` bin (bundled to dist/server/ensign.mjs). It is a file of its own, apart
// from the server bundle, because the bundle's static imports (node:sqlite among them) are linked
// before any of its code runs: on an unsupported Node that is a stack trace, here it is one line.

import { NODE_RANGE, nodeSatisfies } from './node-range.ts';

if (!nodeSatisfies(process.versions.node, NODE_RANGE)) {
  process.stderr.write(`ensign: Node.js ${NODE_RANGE} is required; this is ${process.version}\n`);
  process.exit(1);
}
// Reuses the bundle's compiled code from the second start on.
const { enableCompileCache } = await import('node:module');
enableCompileCache?.();
// A variable, so the bundler leaves the server out of this file.
const server = './ensign-server.mjs';
await import(server);
