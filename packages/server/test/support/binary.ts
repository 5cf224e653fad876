import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBinary } from '../../../../scripts/build/binary.ts';

// The single executable as `npm run build:binary` makes it, built once per test process into a
// temporary folder of its own (test files run in parallel, so they do not share dist/). /tmp has
// no node_modules above it, so what runs there needs none.

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
let built: Promise<string> | undefined;

export function ensignBinary(): Promise<string> {
  built ??= (async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ensign-binary-'));
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    return (await buildBinary(ROOT, dir)).path;
  })();
  return built;
}
