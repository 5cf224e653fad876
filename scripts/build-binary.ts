// Builds dist/ensign, the server as one self-contained executable, and dist/ensign.sha256.
// Run: npm run build:binary [-- --snapshot]  (with a V8 start-up snapshot: see build/binary.ts)

import { fileURLToPath } from 'node:url';
import { buildBinary } from './build/binary.ts';

const root = fileURLToPath(new URL('..', import.meta.url));
const built = await buildBinary(root, `${root}dist`, { snapshot: process.argv.includes('--snapshot') });
console.log(`built ${built.path} (${(built.bytes / 1024 / 1024).toFixed(1)} MiB, sha256 ${built.sha256})`);
