// Where the p99 at a fixed 1,000 requests/s comes from. Ensign (its server bundle, readonly dataset,
// local storage, as bench/http.ts runs it) and the bare node:http server take turns, round by
// round, each with bench/lib/loop-probe.ts loaded: per round the client's p50/p99/max (open
// loop, timed from each request's due time) next to the server's own event-loop delay and its
// garbage collection pauses over the same window. Medians of the rounds, side by side; which
// request a pause delayed is not matched up, only whether the server's loop or the machine
// (both servers alike) accounts for the tail. With `--baseline REV` (e.g. main) Ensign as built
// from that revision takes its turn too, so a change is judged against its baseline in one run.
// Run: npx node bench/latency-tail.ts [--rounds 5] [--seconds 5] [--baseline main]

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readonlyStyleDir } from '../packages/server/test/support/datasets.ts';
import { baselineTree } from './lib/baseline-tree.ts';
import { EVALUATION_BODY, writeServerConfig } from './lib/bundled-server.ts';
import { type FixedRateResult, fixedRate } from './lib/fixed-rate.ts';
import { median } from './lib/measure.ts';
import { option } from './lib/options.ts';
import { type ProbedServer, startProbedServer } from './lib/probed-server.ts';
import { bundleServerOf } from './lib/tree-bundle.ts';

const ROUNDS = option('--rounds', 5);
const args = process.argv.slice(2);
const BASELINE = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1] : undefined;
const SECONDS = option('--seconds', 5);
const BARE = fileURLToPath(new URL('./lib/bare-server.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'ensign-bench-tail-'));
// This tree and the baseline are bundled the same way (bench/lib/tree-bundle.ts).
const CLI = await bundleServerOf(ROOT, join(work, 'ensign.mjs'));
const evaluate = { method: 'POST', body: EVALUATION_BODY, headers: { 'content-type': 'application/json' } };

type Server = ProbedServer;

const start = (name: string, args: (port: number) => string[]): Promise<Server> =>
  startProbedServer(work, name, args);

const config = join(work, 'config.yml');
const ensign = await start('ensign (this tree)', (port) => {
  writeServerConfig(config, port, { localPath: readonlyStyleDir() });
  return [CLI, 'server', '--config', config];
});
const bare = await start('bare node:http', (port) => [BARE, String(port)]);
const servers = [ensign, bare];
if (BASELINE !== undefined) {
  const cli = await bundleServerOf(baselineTree(ROOT, BASELINE, work), join(work, 'baseline.mjs'));
  const baseConfig = join(work, 'baseline.yml');
  servers.push(
    await start(`ensign ${BASELINE}`, (port) => {
      writeServerConfig(baseConfig, port, { localPath: readonlyStyleDir() });
      return [cli, 'server', '--config', baseConfig];
    }),
  );
}

interface Probe {
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  pauses: Array<{ kind: number; ms: number }>;
  cpuMicros: number;
  allocatedBytes: number;
}
interface Round {
  client: FixedRateResult;
  probe: Probe;
}

async function measure(server: Server, seconds: number): Promise<Round> {
  rmSync(server.probeOut, { force: true });
  server.child.kill('SIGUSR2');
  const client = await fixedRate(`${server.url}/evaluate/v1/variant`, evaluate, {
    ratePerSecond: 1000,
    seconds,
  });
  server.child.kill('SIGUSR2');
  const until = performance.now() + 5000;
  for (;;) {
    try {
      return { client, probe: JSON.parse(readFileSync(server.probeOut, 'utf8')) as Probe };
    } catch (error) {
      if (performance.now() > until) throw error;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }
}

// Warm-up: the first seconds compile and tier up the request path.
for (const server of servers) await measure(server, 2);

const rounds = new Map<Server, Round[]>(servers.map((server) => [server, []]));
const load = [loadavg()];
for (let round = 0; round < ROUNDS; round++) {
  for (const server of round % 2 === 0 ? servers : [...servers].reverse()) {
    rounds.get(server)!.push(await measure(server, SECONDS));
  }
}
load.push(loadavg());
for (const server of servers) server.child.kill('SIGTERM');

const f = (n: number) => n.toFixed(2);
const med = (list: Round[], pick: (r: Round) => number) => median(list.map(pick));
console.log(
  `POST /evaluate/v1/variant at a fixed 1,000 req/s, ${ROUNDS} alternating rounds of ${SECONDS} s, medians; Node ${process.version}`,
);
console.log(
  'server               client p50 / p99 / max (ms)   loop delay p99 / max (ms)   GC pauses per s   GC ms per s   longest GC (ms)   scavenges / mark-sweeps',
);
for (const [server, list] of rounds) {
  const pauseCount = (r: Round) => r.probe.pauses.length / SECONDS;
  const pauseMs = (r: Round) => r.probe.pauses.reduce((sum, p) => sum + p.ms, 0) / SECONDS;
  const longest = (r: Round) => Math.max(0, ...r.probe.pauses.map((p) => p.ms));
  // perf_hooks kinds: 1 minor (scavenge), 2 major (mark-sweep-compact), 4 incremental, 8 weak callbacks.
  const minor = (r: Round) => r.probe.pauses.filter((p) => p.kind === 1).length;
  const major = (r: Round) => r.probe.pauses.filter((p) => p.kind === 2).length;
  console.log(
    [
      server.name.padEnd(20),
      `${f(med(list, (r) => r.client.p50Ms))} / ${f(med(list, (r) => r.client.p99Ms))} / ${f(med(list, (r) => r.client.maxMs))}`.padEnd(
        29,
      ),
      `${f(med(list, (r) => r.probe.delayP99Ms))} / ${f(med(list, (r) => r.probe.delayMaxMs))}`.padEnd(27),
      f(med(list, pauseCount)).padEnd(17),
      f(med(list, pauseMs)).padEnd(13),
      f(med(list, longest)).padEnd(17),
      `${med(list, minor)} / ${med(list, major)}`,
    ].join(' '),
  );
  console.log(
    `  per round p99: ${list.map((r) => f(r.client.p99Ms)).join(', ')}; errors ${list.reduce((n, r) => n + r.client.errors, 0)}; ` +
      `CPU µs / request ${med(list, (r) => r.probe.cpuMicros / r.client.sent).toFixed(1)}, ` +
      `bytes / request ${med(list, (r) => r.probe.allocatedBytes / r.client.sent).toFixed(0)} (bench/allocation.ts for more)`,
  );
}
// Round by round, each server against the bare server's round next to it: the machine's load
// changes from round to round, the ratio much less.
const bareRounds = rounds.get(bare)!;
for (const [server, list] of rounds) {
  if (server === bare) continue;
  const ratios = list.map((r, i) => r.client.p99Ms / bareRounds[i]!.client.p99Ms);
  console.log(`${server.name}: p99 / bare p99 of the same round, median ${f(median(ratios))}x`);
}
console.log(
  `load average before ${load[0]!.map((n) => n.toFixed(2)).join(' ')}, after ${load[1]!.map((n) => n.toFixed(2)).join(' ')}`,
);
rmSync(work, { recursive: true, force: true });
