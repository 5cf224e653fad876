// Footprint of the single executable against the bundle it is built from (`node
// dist/server/ensign.mjs`), side by side in one run, each started fresh per round:
//   1. size on disk;
//   2. time from process start to the first healthy /health, embedded SQLite default;
//   3. resident memory (VmRSS) idle after start;
//   4. start to healthy and resident memory with the readonly-style dataset served from files
//      (two namespaces of 57 flags, 50 rules each);
//   5. the YAML load of that dataset in process (parse, validate, build namespaces).
// Goals (issue "one binary"): start < 300 ms, idle RSS < 60 MB, RSS with the dataset < 120 MB.
// Run: npx node bench/binary.ts [--rounds 5]

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadFeatures } from '../packages/core/src/features/index.ts';
import { readonlyStyleFeatureFiles } from '../packages/core/test/datasets/readonly-style.ts';
import { freePort } from '../packages/server/test/ha/cluster.ts';
import { readonlyStyleDir } from '../packages/server/test/support/datasets.ts';
import { buildBinary } from '../scripts/build/binary.ts';
import { median } from './lib/measure.ts';
import { option } from './lib/options.ts';

const ROUNDS = option('--rounds', 5);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const work = mkdtempSync(join(tmpdir(), 'ensign-bench-binary-'));
const binary = (await buildBinary(ROOT, work)).path;
execFileSync(process.execPath, [join(ROOT, 'scripts/build.ts'), '--quiet', 'server'], { stdio: 'ignore' });
const bundle = join(ROOT, 'dist/server/ensign.mjs');
const dataset = readonlyStyleDir();

interface Variant {
  name: string;
  command: string;
  args: string[];
  bytes: number;
}
const variants: Variant[] = [
  { name: 'single executable (Node SEA)', command: binary, args: ['server'], bytes: statSync(binary).size },
  {
    name: 'bundle on node',
    command: process.execPath,
    args: [bundle, 'server'],
    bytes: statSync(bundle).size + statSync(join(ROOT, 'dist/server/ensign-server.mjs')).size,
  },
];

function rssMb(pid: number): number {
  const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1]);
  return kb / 1024;
}

async function startOnce(
  variant: Variant,
  env: Record<string, string>,
): Promise<{ startMs: number; rss: number }> {
  const home = mkdtempSync(join(work, 'home-'));
  const port = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(variant.command, variant.args, {
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      ENSIGN_SERVER_HOST: '127.0.0.1',
      ENSIGN_SERVER_HTTP_PORT: String(port),
      ENSIGN_SERVER_GRPC_PORT: String(await freePort()),
      ENSIGN_LOG_LEVEL: 'error',
      ...env,
    },
    stdio: 'ignore',
  });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`);
        if (res.ok) break;
      } catch {}
      if (performance.now() - started > 30_000) throw new Error(`${variant.name} did not start`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const startMs = performance.now() - started;
    // Idle: let start-up garbage be collected the way it would on a quiet server.
    await new Promise((r) => setTimeout(r, 2000));
    return { startMs, rss: rssMb(child.pid!) };
  } finally {
    child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  }
}

async function measure(variant: Variant, env: Record<string, string>) {
  const starts: number[] = [];
  const rss: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    const once = await startOnce(variant, env);
    starts.push(once.startMs);
    rss.push(once.rss);
  }
  return { start: median(starts), rss: median(rss) };
}

console.log(`Node ${process.version}, ${ROUNDS} fresh starts per variant, medians`);
const rows: string[][] = [
  ['variant', 'size', 'start (default)', 'idle RSS', 'start (dataset)', 'RSS (dataset)'],
];
const results = [];
for (const variant of variants) {
  const idle = await measure(variant, {});
  const loaded = await measure(variant, { ENSIGN_STORAGE_TYPE: 'local', ENSIGN_STORAGE_LOCAL_PATH: dataset });
  results.push({ idle, loaded });
  rows.push([
    variant.name,
    `${(variant.bytes / 1024 / 1024).toFixed(1)} MiB`,
    `${idle.start.toFixed(0)} ms`,
    `${idle.rss.toFixed(1)} MB`,
    `${loaded.start.toFixed(0)} ms`,
    `${loaded.rss.toFixed(1)} MB`,
  ]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
const [sea, node] = results as [(typeof results)[0], (typeof results)[0]];
console.log(
  `executable / bundle: start ${(sea.idle.start / node.idle.start).toFixed(2)}x, idle RSS ${(sea.idle.rss / node.idle.rss).toFixed(2)}x, RSS with dataset ${(sea.loaded.rss / node.loaded.rss).toFixed(2)}x`,
);

const files = readonlyStyleFeatureFiles();
const loads: number[] = [];
for (let i = 0; i < ROUNDS; i++) {
  const t = performance.now();
  const { problems } = loadFeatures(files);
  loads.push(performance.now() - t);
  if (problems.length > 0) throw new Error('dataset invalid');
}
const size = files.reduce((n, f) => n + f.content.length, 0);
console.log(
  `YAML load of the dataset (${(size / 1024).toFixed(0)} KB, in process): ${median(loads).toFixed(0)} ms`,
);
rmSync(work, { recursive: true, force: true });
