// Footprint of the single executable, side by side in one run with the bundle it is built from
// (`node dist/server/ensign.mjs`) and with the executable of a baseline commit (default: the
// commit before the footprint work), each started fresh per round:
//   1. size on disk;
//   2. time from process start to the first healthy /health, embedded SQLite default, and the
//      CPU time the process used until then (less sensitive than wall time to a busy machine);
//   3. resident memory (VmRSS, and its anonymous / file-backed parts) idle after start;
//   4. start to healthy and resident memory with the readonly-style dataset served from files
//      (two namespaces of 57 flags, 50 rules each);
//   5. the YAML load of that dataset in process (parse, validate, build namespaces), this
//      commit's loader against the baseline's, rounds interleaved.
// Goals (issue "one binary"): start < 300 ms, idle RSS < 60 MB, RSS with the dataset < 120 MB,
// YAML load 2x faster than the baseline.
// Run: npx node bench/binary.ts [--rounds 5] [--baseline <git revision>]

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { loadFeatures } from '../packages/core/src/features/index.ts';
import { readonlyStyleFeatureFiles } from '../packages/core/test/datasets/readonly-style.ts';
import { freePort } from '../packages/server/test/ha/cluster.ts';
import { readonlyStyleDir } from '../packages/server/test/support/datasets.ts';
import { buildBinary } from '../scripts/build/binary.ts';
import { baselineTree } from './lib/baseline-tree.ts';
import { median } from './lib/measure.ts';
import { option } from './lib/options.ts';

const ROUNDS = option('--rounds', 5);
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const args = process.argv.slice(2);
/** The last commit before the footprint work (lazy app, minified executable, YAML parser). */
const BASELINE = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1]! : 'ab2afd2';

const work = mkdtempSync(join(tmpdir(), 'ensign-bench-binary-'));
const binary = (await buildBinary(ROOT, work)).path;
execFileSync(process.execPath, [join(ROOT, 'scripts/build.ts'), '--quiet', 'server'], { stdio: 'ignore' });
const bundle = join(ROOT, 'dist/server/ensign.mjs');
const base = baselineTree(ROOT, BASELINE, work);
const baseOut = join(work, 'baseline-out');
execFileSync(
  process.execPath,
  [
    '--input-type=module',
    '-e',
    `const { buildBinary } = await import(${JSON.stringify(pathToFileURL(join(base, 'scripts/build/binary.ts')).href)});
     await buildBinary(${JSON.stringify(`${base}/`)}, ${JSON.stringify(baseOut)});`,
  ],
  { stdio: 'ignore' },
);
const baseBinary = join(baseOut, 'ensign');
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
  {
    name: `baseline executable (${BASELINE})`,
    command: baseBinary,
    args: ['server'],
    bytes: statSync(baseBinary).size,
  },
];

interface Memory {
  rss: number;
  anon: number;
  file: number;
}

function memoryMb(pid: number): Memory {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1]) / 1024;
  return { rss: kb('VmRSS'), anon: kb('RssAnon'), file: kb('RssFile') };
}

/** User + system CPU time of a process so far, in ms (clock ticks of 10 ms). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function startOnce(
  variant: Variant,
  env: Record<string, string>,
  attempt = 1,
): Promise<{ startMs: number; cpu: number; memory: Memory }> {
  const home = mkdtempSync(join(work, 'home-'));
  const port = await freePort();
  const grpcPort = await freePort();
  const started = performance.now();
  const child: ChildProcess = spawn(variant.command, variant.args, {
    env: {
      PATH: process.env['PATH'] ?? '/usr/bin:/bin',
      HOME: home,
      ENSIGN_SERVER_HOST: '127.0.0.1',
      ENSIGN_SERVER_HTTP_PORT: String(port),
      ENSIGN_SERVER_GRPC_PORT: String(grpcPort),
      ENSIGN_LOG_LEVEL: 'error',
      ...env,
    },
    stdio: 'ignore',
  });
  let exited: number | null = null;
  child.once('exit', (code) => {
    exited = code ?? -1;
  });
  try {
    for (;;) {
      // Another process on this shared machine may take the free port first: start again.
      if (exited !== null) {
        if (attempt < 3) return startOnce(variant, env, attempt + 1);
        throw new Error(`${variant.name} exited with ${exited} before it was healthy`);
      }
      try {
        const res = await fetch(`http://127.0.0.1:${port}/health`, { signal: AbortSignal.timeout(5000) });
        if (res.ok) break;
      } catch {}
      if (performance.now() - started > 30_000) throw new Error(`${variant.name} did not start`);
      await new Promise((r) => setTimeout(r, 5));
    }
    const startMs = performance.now() - started;
    const cpu = cpuMs(child.pid!);
    // Idle: let start-up garbage be collected the way it would on a quiet server.
    await new Promise((r) => setTimeout(r, 2000));
    return { startMs, cpu, memory: memoryMb(child.pid!) };
  } finally {
    child.kill('SIGKILL');
    rmSync(home, { recursive: true, force: true });
  }
}

interface Measured {
  start: number;
  cpu: number;
  rss: number;
  anon: number;
  file: number;
}

async function measure(variant: Variant, env: Record<string, string>): Promise<Measured> {
  const runs = [];
  for (let i = 0; i < ROUNDS; i++) runs.push(await startOnce(variant, env));
  return {
    start: median(runs.map((r) => r.startMs)),
    cpu: median(runs.map((r) => r.cpu)),
    rss: median(runs.map((r) => r.memory.rss)),
    anon: median(runs.map((r) => r.memory.anon)),
    file: median(runs.map((r) => r.memory.file)),
  };
}

const load = () => readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
console.log(`Node ${process.version}, ${ROUNDS} fresh starts per variant, medians; load average ${load()}`);
const rows: string[][] = [
  [
    'variant',
    'size',
    'start (default)',
    'CPU to healthy',
    'idle RSS (anon + file)',
    'start (dataset)',
    'RSS (dataset)',
  ],
];
const results: { idle: Measured; loaded: Measured }[] = [];
const memoryCell = (m: Measured) => `${m.rss.toFixed(1)} MB (${m.anon.toFixed(0)} + ${m.file.toFixed(0)})`;
for (const variant of variants) {
  const idle = await measure(variant, {});
  const loaded = await measure(variant, { ENSIGN_STORAGE_TYPE: 'local', ENSIGN_STORAGE_LOCAL_PATH: dataset });
  results.push({ idle, loaded });
  rows.push([
    variant.name,
    `${(variant.bytes / 1024 / 1024).toFixed(1)} MiB`,
    `${idle.start.toFixed(0)} ms`,
    `${idle.cpu.toFixed(0)} ms`,
    memoryCell(idle),
    `${loaded.start.toFixed(0)} ms`,
    memoryCell(loaded),
  ]);
}
const widths = rows[0]!.map((_, c) => Math.max(...rows.map((r) => r[c]!.length)));
for (const row of rows) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
type Result = (typeof results)[number];
const [sea, node, old] = results as [Result, Result, Result];
const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}x`;
console.log(
  `executable / bundle: start ${ratio(sea.idle.start, node.idle.start)}, idle RSS ${ratio(sea.idle.rss, node.idle.rss)}, RSS with dataset ${ratio(sea.loaded.rss, node.loaded.rss)}`,
);
console.log(
  `executable / baseline executable: start ${ratio(sea.idle.start, old.idle.start)}, CPU to healthy ${ratio(sea.idle.cpu, old.idle.cpu)}, idle RSS ${ratio(sea.idle.rss, old.idle.rss)}, RSS with dataset ${ratio(sea.loaded.rss, old.loaded.rss)}`,
);

// The YAML load, this commit's loader and the baseline's in alternating rounds, after two untimed
// loads each (JIT warm-up). Both share this process's heap, so each load starts with an empty
// young generation (a minor collection first): the garbage of one loader is not left for the
// other to pay for. Not a full collection: a load right after one took 2-4x as long for either
// loader (the collector's sweeping then competes with it), which no server sees. Wall time and
// CPU time (user + system of the process, so the collector's helper threads too) per load.
const baseline = (await import(pathToFileURL(join(base, 'packages/core/src/features/index.ts')).href)) as {
  loadFeatures: typeof loadFeatures;
};
const { setFlagsFromString } = await import('node:v8');
const { runInNewContext } = await import('node:vm');
setFlagsFromString('--expose-gc');
const collect = runInNewContext('gc') as (options: { type: 'minor' }) => void;
const files = readonlyStyleFeatureFiles();
const loaders = [
  ['now', loadFeatures],
  ['before', baseline.loadFeatures],
] as const;
const timings = { now: [] as number[], before: [] as number[] };
const cpuTimes = { now: [] as number[], before: [] as number[] };
for (let i = 0; i < 2; i++) for (const [, load] of loaders) load(files);
for (let i = 0; i < Math.max(ROUNDS, 5) * 8; i++) {
  for (const [key, load] of i % 2 ? [...loaders].reverse() : loaders) {
    collect({ type: 'minor' });
    const cpu = process.cpuUsage();
    const t = performance.now();
    const { problems, namespaces } = load(files);
    timings[key].push(performance.now() - t);
    const used = process.cpuUsage(cpu);
    cpuTimes[key].push((used.user + used.system) / 1000);
    if (problems.length > 0 || namespaces.length < 2) throw new Error('dataset invalid');
  }
}
const size = files.reduce((n, f) => n + f.content.length, 0);
const [now, before] = [median(timings.now), median(timings.before)];
const [cpuNow, cpuBefore] = [median(cpuTimes.now), median(cpuTimes.before)];
console.log(
  `YAML load of the dataset (${(size / 1024).toFixed(0)} KB, in process, ${timings.now.length} loads each): ${now.toFixed(1)} ms, baseline ${before.toFixed(1)} ms: ${(before / now).toFixed(2)}x faster; CPU ${cpuNow.toFixed(1)} ms, baseline ${cpuBefore.toFixed(1)} ms: ${(cpuBefore / cpuNow).toFixed(2)}x; load average ${load()}`,
);
rmSync(work, { recursive: true, force: true });
