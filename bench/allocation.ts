// What one evaluation request costs the server, in figures that do not depend on how busy the
// machine is: CPU time, bytes allocated on the JS heap, young-generation scavenges and GC time
// per 10,000 requests, and the async resources (timers, immediates, promises, ...) created per
// request. These are what turn into a latency tail at a fixed rate: every scavenge stops the
// loop, every byte allocated brings the next one closer. Three servers side by side in one run,
// alternating round by round at a fixed 1,000 req/s on POST /evaluate/v1/variant: the bare
// node:http server (bench/lib/bare-server.ts), Ensign as built from a baseline revision (main
// by default) and Ensign as built from the working tree, each with bench/lib/loop-probe.ts
// loaded. Medians of the rounds, with ratios.
// Run: npx node bench/allocation.ts [--rounds 5] [--seconds 5] [--baseline main] [--no-baseline]

import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { readonlyStyleDir } from '../packages/server/test/support/datasets.ts';
import { baselineTree } from './lib/baseline-tree.ts';
import { EVALUATION_BODY, freePort, writeServerConfig } from './lib/bundled-server.ts';
import { fixedRate } from './lib/fixed-rate.ts';
import { median } from './lib/measure.ts';
import { flag, option } from './lib/options.ts';

const ROUNDS = option('--rounds', 5);
const SECONDS = option('--seconds', 5);
const RATE = 1000;
const args = process.argv.slice(2);
const BASELINE = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1]! : 'main';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BARE = fileURLToPath(new URL('./lib/bare-server.ts', import.meta.url));
const PROBE = fileURLToPath(new URL('./lib/loop-probe.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ensign-bench-allocation-'));
const evaluate = { method: 'POST', body: EVALUATION_BODY, headers: { 'content-type': 'application/json' } };

/** The server bundle of a source tree, built the same way for the baseline and the working tree. */
async function bundle(root: string, name: string): Promise<string> {
  const outfile = join(work, `${name}.mjs`);
  await build({
    entryPoints: [join(root, 'packages/server/src/cli/main.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['@libsql/client', '@libsql/*', 'libsql', 'pg-native'],
    banner: {
      js: "import { createRequire as __ensignRequire } from 'node:module';\nconst require = __ensignRequire(import.meta.url);",
    },
    logLevel: 'error',
  });
  return outfile;
}

interface Probe {
  pauses: Array<{ kind: number; ms: number }>;
  cpuMicros: number;
  allocatedBytes: number;
  scavenges: number;
  markSweeps: number;
  gcMicros: number;
  async?: Record<string, number>;
}

interface Server {
  name: string;
  child: ChildProcess;
  url: string;
  probeOut: string;
  rounds: Array<{ probe: Probe; sent: number; errors: number }>;
  async?: { probe: Probe; sent: number };
}

async function start(name: string, args: (port: number) => string[]): Promise<Server> {
  const port = await freePort();
  const probeOut = join(work, `${name.replace(/\W/g, '-')}.json`);
  const child = spawn(process.execPath, ['--import', PROBE, ...args(port)], {
    stdio: ['ignore', 'ignore', 'inherit'],
    env: { ...process.env, ENSIGN_BENCH_PROBE_OUT: probeOut },
  });
  const url = `http://127.0.0.1:${port}`;
  const deadline = performance.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${name} exited with ${child.exitCode}`);
    if (performance.now() > deadline) throw new Error(`${name} did not become healthy`);
    try {
      if ((await fetch(`${url}/health`, { signal: AbortSignal.timeout(2000) })).ok) break;
    } catch {}
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  return { name, child, url, probeOut, rounds: [] };
}

async function measure(server: Server, seconds: number) {
  rmSync(server.probeOut, { force: true });
  server.child.kill('SIGUSR2');
  const client = await fixedRate(`${server.url}/evaluate/v1/variant`, evaluate, {
    ratePerSecond: RATE,
    seconds,
  });
  server.child.kill('SIGUSR2');
  const until = performance.now() + 5000;
  for (;;) {
    try {
      const probe = JSON.parse(readFileSync(server.probeOut, 'utf8')) as Probe;
      return { probe, sent: client.sent, errors: client.errors };
    } catch (error) {
      if (performance.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

const dataset = readonlyStyleDir();
async function ensign(name: string, root: string): Promise<Server> {
  const cli = await bundle(root, name.replace(/\W/g, '-'));
  return start(name, (port) => {
    const config = writeServerConfig(join(work, `${name.replace(/\W/g, '-')}.yml`), port, {
      localPath: dataset,
    });
    return [cli, 'server', '--config', config];
  });
}

const servers: Server[] = [await start('bare node:http', (port) => [BARE, String(port)])];
if (!flag('--no-baseline')) {
  servers.push(await ensign(`ensign ${BASELINE}`, baselineTree(ROOT, BASELINE, work)));
}
servers.push(await ensign('ensign (this tree)', ROOT));

// Warm-up: the first seconds compile and tier up the request path.
for (const server of servers) await measure(server, 2);
const load = [loadavg()];
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? servers : [...servers].reverse();
  for (const server of order) server.rounds.push(await measure(server, SECONDS));
}
// One more window each with the async-resource count on (it slows promises, so apart).
for (const server of servers) {
  writeFileSync(`${server.probeOut}.async`, '');
  server.async = await measure(server, 2);
}
load.push(loadavg());
for (const server of servers) server.child.kill('SIGTERM');

type Figure = (p: Probe, sent: number) => number;
const figures: Array<[string, Figure, (n: number) => string]> = [
  ['CPU µs / request', (p, n) => p.cpuMicros / n, (n) => n.toFixed(1)],
  ['bytes allocated / request', (p, n) => p.allocatedBytes / n, (n) => n.toFixed(0)],
  ['scavenges / 10k requests', (p, n) => (p.scavenges * 10_000) / n, (n) => n.toFixed(2)],
  ['GC ms / 10k requests', (p, n) => p.gcMicros / 100 / n, (n) => n.toFixed(2)],
  ['mark-sweeps in all rounds', (p) => p.markSweeps, (n) => n.toFixed(0)],
];
const medianOf = (server: Server, figure: Figure) =>
  figure === figures[4]![1]
    ? server.rounds.reduce((sum, r) => sum + r.probe.markSweeps, 0)
    : median(server.rounds.map((r) => figure(r.probe, r.sent)));

console.log(
  `POST /evaluate/v1/variant at a fixed ${RATE} req/s, ${ROUNDS} alternating rounds of ${SECONDS} s, medians; Node ${process.version}`,
);
const bare = servers[0]!;
const base = servers.length === 3 ? servers[1]! : undefined;
const tree = servers.at(-1)!;
const width = 28;
console.log(
  [
    ''.padEnd(width),
    ...servers.map((s) => s.name.padEnd(20)),
    'this / bare'.padEnd(12),
    ...(base ? [`this / ${BASELINE}`] : []),
  ].join(' '),
);
for (const [label, figure, format] of figures) {
  const values = servers.map((s) => medianOf(s, figure));
  const ratio = (a: number, b: number) => (b === 0 ? '-' : `${(a / b).toFixed(2)}x`);
  console.log(
    [
      label.padEnd(width),
      ...values.map((v) => format(v).padEnd(20)),
      ratio(medianOf(tree, figure), medianOf(bare, figure)).padEnd(12),
      ...(base ? [ratio(medianOf(tree, figure), medianOf(base, figure))] : []),
    ].join(' '),
  );
}
// Async resources per request, by type, from the separate counting window.
const types = new Set(servers.flatMap((s) => Object.keys(s.async?.probe.async ?? {})));
for (const type of [...types].sort()) {
  const values = servers.map((s) => (s.async?.probe.async?.[type] ?? 0) / (s.async?.sent ?? 1));
  if (values.every((v) => v < 0.005)) continue;
  console.log(
    [`async ${type} / request`.padEnd(width), ...values.map((v) => v.toFixed(2).padEnd(20))].join(' '),
  );
}
const errors = servers.map((s) => `${s.name} ${s.rounds.reduce((n, r) => n + r.errors, 0)}`).join(', ');
console.log(`errors: ${errors}`);
console.log(
  `load average before ${load[0]!.map((n) => n.toFixed(2)).join(' ')}, after ${load[1]!.map((n) => n.toFixed(2)).join(' ')}`,
);
rmSync(work, { recursive: true, force: true });
