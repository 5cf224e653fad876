// Migrations at start-up, cold: each round is a fresh Node process (no JIT warm-up, as when the
// server starts) that migrates a new SQLite file ("fresh") and then the same file again over a
// second connection ("current", what every later start and the second opener at start pay).
// This commit's migrate() and a baseline commit's run in turn; medians of wall and CPU time.
// Run: npx node bench/migrate-cold.ts [--rounds 9] [--baseline <git revision>]

import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { baselineTree } from './lib/baseline-tree.ts';
import { median } from './lib/measure.ts';
import { option } from './lib/options.ts';

const ROUNDS = option('--rounds', 9);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
/** The commit before migrate() learnt to find a current schema with one read. */
const BASELINE = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1]! : '6e941f2';

const work = mkdtempSync(join(tmpdir(), 'ensign-bench-migrate-'));
const base = baselineTree(ROOT, BASELINE, work);

/** The script one round runs, against the tree at `root`; prints [fresh ms, fresh CPU, current ms, current CPU]. */
const round = (root: string, file: string) => `
const { connect, migrate } = await import(${JSON.stringify(pathToFileURL(join(root, 'packages/server/src/storage/database/index.ts')).href)});
const { silentLogger } = await import(${JSON.stringify(pathToFileURL(join(root, 'packages/server/src/observability/logger.ts')).href)});
const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
const out = [];
for (const expected of [5, 0]) {
  const [t, c] = [performance.now(), cpu()];
  const connection = connect({ url: ${JSON.stringify(`sqlite://${file}`)} }, silentLogger());
  const { applied } = await migrate(connection);
  out.push(performance.now() - t, cpu() - c);
  await connection.db.destroy();
  if ((applied.length > 0) !== (expected > 0)) throw new Error('unexpected migration result');
}
console.log(JSON.stringify(out));
`;

const trees = { now: ROOT, before: base };
const results: Record<keyof typeof trees, number[][]> = { now: [], before: [] };
for (let i = 0; i < ROUNDS; i++) {
  for (const key of ['now', 'before'] as const) {
    const file = join(work, `round-${i}-${key}.db`);
    const output = execFileSync(process.execPath, ['--input-type=module', '-e', round(trees[key], file)], {
      encoding: 'utf8',
    });
    results[key].push(JSON.parse(output) as number[]);
  }
}
const cell = (runs: number[][], i: number) => median(runs.map((r) => r[i]!)).toFixed(1);
console.log(
  `${ROUNDS} cold processes each, medians (ms)      fresh wall  fresh CPU  current wall  current CPU`,
);
for (const key of ['now', 'before'] as const) {
  const runs = results[key];
  const name = key === 'now' ? 'this commit' : `baseline (${BASELINE})`;
  console.log(
    `${name.padEnd(40)} ${cell(runs, 0).padStart(10)} ${cell(runs, 1).padStart(10)} ${cell(runs, 2).padStart(13)} ${cell(runs, 3).padStart(12)}`,
  );
}
rmSync(work, { recursive: true, force: true });
