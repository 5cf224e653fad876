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
//      [--node-flag --max-semi-space-size=2 ...]

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readonlyStyleDir } from '../packages/server/test/support/datasets.ts';
import { baselineTree } from './lib/baseline-tree.ts';
import { EVALUATION_BODY, writeServerConfig } from './lib/bundled-server.ts';
import { fixedRate } from './lib/fixed-rate.ts';
import { median } from './lib/measure.ts';
import { flag, option } from './lib/options.ts';
import { type ProbedServer, startProbedServer } from './lib/probed-server.ts';
import { bundleServerOf } from './lib/tree-bundle.ts';

const ROUNDS = option('--rounds', 5);
const SECONDS = option('--seconds', 5);
const RATE = 1000;
const args = process.argv.slice(2);
const BASELINE = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1]! : 'main';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const BARE = fileURLToPath(new URL('./lib/bare-server.ts', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ensign-bench-allocation-'));
const evaluate = { method: 'POST', body: EVALUATION_BODY, headers: { 'content-type': 'application/json' } };

interface Probe {
  pauses: Array<{ kind: number; ms: number }>;
  cpuMicros: number;
  allocatedBytes: number;
  scavenges: number;
  markSweeps: number;
  gcMicros: number;
  promotedBytes: number;
  scavengeMicros: number[];
  async?: Record<string, number>;
}

interface Server extends ProbedServer {
  rounds: Array<{ probe: Probe; sent: number; errors: number }>;
  idle: Probe[];
  async?: { probe: Probe; sent: number };
}

async function start(
  name: string,
  args: (port: number) => string[],
  nodeFlags: string[] = [],
): Promise<Server> {
  return { ...(await startProbedServer(work, name, args, nodeFlags)), rounds: [], idle: [] };
}

async function measure(server: Server, seconds: number, idle = false) {
  rmSync(server.probeOut, { force: true });
  server.child.kill('SIGUSR2');
  const client = idle
    ? await new Promise<{ sent: number; errors: number }>((resolve) =>
        setTimeout(() => resolve({ sent: 0, errors: 0 }), seconds * 1000),
      )
    : await fixedRate(`${server.url}/evaluate/v1/variant`, evaluate, { ratePerSecond: RATE, seconds });
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
async function ensign(name: string, root: string, nodeFlags: string[] = []): Promise<Server> {
  const cli = await bundleServerOf(root, join(work, `${name.replace(/\W/g, '-')}.mjs`));
  return start(
    name,
    (port) => {
      const config = writeServerConfig(join(work, `${name.replace(/\W/g, '-')}.yml`), port, {
        localPath: dataset,
      });
      return [cli, 'server', '--config', config];
    },
    nodeFlags,
  );
}

// `--node-flag X` (repeatable): a V8 or Node option for both Ensign servers, e.g. a fixed young
// generation: V8 sizes it by what each process allocated so far, so two runs of the same code can
// collect every 100 ms or every 3 s.
const nodeFlags = args.flatMap((arg, i) => (arg === '--node-flag' ? [args[i + 1]!] : []));
const servers: Server[] = [await start('bare node:http', (port) => [BARE, String(port)])];
if (!flag('--no-baseline')) {
  servers.push(await ensign(`ensign ${BASELINE}`, baselineTree(ROOT, BASELINE, work), nodeFlags));
}
servers.push(await ensign('ensign (this tree)', ROOT, nodeFlags));
if (nodeFlags.length > 0) console.log(`Ensign servers run with ${nodeFlags.join(' ')}`);

// Warm-up: the first seconds compile and tier up the request path.
for (const server of servers) await measure(server, 2);
const load = [loadavg()];
for (let round = 0; round < ROUNDS; round++) {
  const order = round % 2 === 0 ? servers : [...servers].reverse();
  for (const server of order) server.rounds.push(await measure(server, SECONDS));
  // What the server does with no requests at all (polls, timers), over the same length of time.
  for (const server of order) server.idle.push((await measure(server, SECONDS, true)).probe);
}
// One more window each with the async-resource count on (it slows promises, so apart).
for (const server of servers) {
  writeFileSync(`${server.probeOut}.async`, '');
  server.async = await measure(server, 2);
}
load.push(loadavg());
for (const server of servers) server.child.kill('SIGTERM');

type Figure = (p: Probe, sent: number) => number;
const mark = (p: Probe) => p.markSweeps;
const figures: Array<[string, Figure, (n: number) => string]> = [
  ['CPU µs / request', (p, n) => p.cpuMicros / n, (n) => n.toFixed(1)],
  ['bytes allocated / request', (p, n) => p.allocatedBytes / n, (n) => n.toFixed(0)],
  ['scavenges / 10k requests', (p, n) => (p.scavenges * 10_000) / n, (n) => n.toFixed(2)],
  ['GC ms / 10k requests', (p, n) => (p.gcMicros * 10) / n, (n) => n.toFixed(2)],
  [
    'scavenge pause median (ms)',
    (p) => (p.scavengeMicros.length ? median(p.scavengeMicros) : 0) / 1000,
    (n) => n.toFixed(2),
  ],
  ['scavenge pause max (ms)', (p) => Math.max(0, ...p.scavengeMicros) / 1000, (n) => n.toFixed(2)],
  ['KB promoted / 10k requests', (p, n) => (p.promotedBytes * 10) / 1024 / n, (n) => n.toFixed(1)],
  ['mark-sweeps in all rounds', mark, (n) => n.toFixed(0)],
];
// Medians per round, except the rare mark-sweeps, which are counted over all rounds.
const medianOf = (server: Server, figure: Figure) =>
  figure === mark
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
// Background work: what each server spends per second with no requests.
const idleFigures: Array<[string, (p: Probe) => number, (n: number) => string]> = [
  ['idle: CPU ms / s', (p) => p.cpuMicros / 1000 / SECONDS, (n) => n.toFixed(2)],
  ['idle: KB allocated / s', (p) => p.allocatedBytes / 1024 / SECONDS, (n) => n.toFixed(1)],
  ['idle: KB promoted / s', (p) => p.promotedBytes / 1024 / SECONDS, (n) => n.toFixed(1)],
  ['idle: GC runs / s', (p) => (p.scavenges + p.markSweeps) / SECONDS, (n) => n.toFixed(2)],
];
for (const [label, figure, format] of idleFigures) {
  console.log(
    [label.padEnd(width), ...servers.map((s) => format(median(s.idle.map(figure))).padEnd(20))].join(' '),
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
