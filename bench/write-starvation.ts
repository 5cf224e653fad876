// Do writes starve evaluation? (issue 12, "Writes never starve evaluation"). One run, side by side:
// the real server (its bundle, built from this tree by bench/lib/tree-bundle.ts) on an SQLite
// file holding Flipt's readonly default.yaml in `default` and a 1,000-flag namespace `writes`.
// Rounds alternate:
//   idle:   wrk POSTs /evaluate/v1/variant (flag_001 in `default`) for --seconds;
//   writes: the same wrk load while two clients update random flags of `writes` through the REST
//           API back to back (closed loop, each waits for its answer before sending the next).
// Prints evaluation requests/s and p99 for both, the ratio of the medians (goal ≥ 0.8x), and the
// writers' rate and latency p50/p99. CPU time does not depend on how busy the shared machine is,
// so it also prints, from /proc, the server's CPU per evaluation and per write (writes alone,
// after the rounds: the writers' own HTTP client cost too), and how much of one core the server
// used in each window (below 100% means it waited for its clients, not for CPU).
// Run: npx node bench/write-starvation.ts [--rounds 3] [--seconds 5] [--connections 32] [--flags 1000]
//        [--baseline <commit>]   (the same rounds on that commit's server, alternating with this tree's)

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { silentLogger } from '../packages/server/src/observability/logger.ts';
import {
  connect,
  createDatabaseStore,
  importFeatures,
  migrate,
} from '../packages/server/src/storage/database/index.ts';
import { readonlyStyleDir } from '../packages/server/test/support/datasets.ts';
import { baselineTree } from './lib/baseline-tree.ts';
import {
  type BundledServer,
  EVALUATION_BODY,
  freePort,
  startBundledServer,
  writeServerConfig,
} from './lib/bundled-server.ts';

import { clockTicks } from './lib/clock-ticks.ts';
import { median } from './lib/measure.ts';
import { option } from './lib/options.ts';
import { bundleServerOf } from './lib/tree-bundle.ts';
import { writesNamespace } from './lib/writes-namespace.ts';
import { runWrkAsync, type WrkResult, wrkAvailable } from './lib/wrk.ts';

const ROUNDS = option('--rounds', 3);
const SECONDS = option('--seconds', 5);
const CONNECTIONS = option('--connections', 32);
const FLAGS = option('--flags', 1000);
const WRITERS = 2;
const GOAL = 0.8;
// --baseline <commit>: the same rounds on that commit's server too, alternating, in this run.
const BASELINE = ((i) => (i < 0 ? undefined : process.argv[i + 1]))(process.argv.indexOf('--baseline'));

if (!wrkAvailable()) {
  console.error('this bench needs wrk: apt-get install wrk');
  process.exit(2);
}

const EVALUATE = {
  method: 'POST' as const,
  headers: { 'content-type': 'application/json' },
  body: EVALUATION_BODY,
};

async function startServer(dir: string, cli: string): Promise<BundledServer> {
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeServerConfig(config, port, { databaseUrl: `file:${join(dir, 'ensign.db')}` });
  return startBundledServer(config, port, 'inherit', cli);
}

/** The server bundle of commit `revision`, unpacked in a tree of its own and built as this tree's is. */
function baselineBundle(revision: string, into: string): Promise<string> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  return bundleServerOf(baselineTree(root, revision, into), join(into, 'baseline.mjs'));
}

interface WriteStats {
  times: number[];
  failures: number;
}

/**
 * One PUT on a kept-alive connection of `agent`. node:http rather than fetch: the writers share
 * the machine's two cores with wrk and the server, and fetch cost the bench about 0.5 ms of CPU
 * per write, as much as half of what the write costs the server.
 */
function put(agent: Agent, url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = httpRequest(
      url,
      {
        method: 'PUT',
        agent,
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        timeout: 10_000,
      },
      (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
        response.on('error', reject);
      },
    );
    request.on('timeout', () => request.destroy(new Error('write timed out')));
    request.on('error', reject);
    request.end(body);
  });
}

/** Two closed-loop writers updating random flags of `writes` until `stop` resolves. */
async function writers(url: string, stop: Promise<unknown>): Promise<WriteStats> {
  const stats: WriteStats = { times: [], failures: 0 };
  let stopped = false;
  void stop.then(() => {
    stopped = true;
  });
  let counter = 0;
  const loop = async () => {
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    try {
      while (!stopped) {
        const key = `w${String(Math.floor(Math.random() * FLAGS)).padStart(4, '0')}`;
        const start = performance.now();
        const body = JSON.stringify({ key, name: key, description: `update ${counter++}`, enabled: true });
        const status = await put(agent, `${url}/api/v1/namespaces/writes/flags/${key}`, body).catch(() => 0);
        if (status >= 200 && status < 300) stats.times.push(performance.now() - start);
        else stats.failures++;
      }
    } finally {
      agent.destroy();
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, loop));
  return stats;
}

/** User + system CPU of a process so far, in ms (/proc: clock ticks). */
function cpuMs(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / clockTicks();
}

/** Runs `work` and reports what it returned with the server's and this process's CPU ms meanwhile. */
async function withCpu<T>(pid: number, work: () => Promise<T>) {
  const server = cpuMs(pid);
  const own = process.cpuUsage();
  const wall = performance.now();
  const result = await work();
  const ownUsed = process.cpuUsage(own);
  return {
    result,
    serverMs: cpuMs(pid) - server,
    clientMs: (ownUsed.user + ownUsed.system) / 1000,
    wallMs: performance.now() - wall,
  };
}

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? Number.NaN;
}

interface Subject {
  name: string;
  server: BundledServer;
  idle: WrkResult[];
  loaded: WrkResult[];
  writeTimes: number[];
  writeFailures: number;
  writeSeconds: number;
  idleCpu: number[];
  busyCpu: number[];
  evalCpu: number[];
}

/** One round for one server: evaluation alone, then evaluation under writes. */
async function round(subject: Subject): Promise<string> {
  const { server } = subject;
  const pid = server.child.pid!;
  const evalUrl = `${server.url}/evaluate/v1/variant`;
  const idleRun = await withCpu(pid, () =>
    runWrkAsync(evalUrl, EVALUATE, { seconds: SECONDS, connections: CONNECTIONS }),
  );
  const quiet = idleRun.result;
  subject.idle.push(quiet);
  subject.idleCpu.push(idleRun.serverMs / idleRun.wallMs);
  subject.evalCpu.push(idleRun.serverMs / (quiet.requestsPerSecond * SECONDS));
  const busyRun = await withCpu(pid, async () => {
    const busy = runWrkAsync(evalUrl, EVALUATE, { seconds: SECONDS, connections: CONNECTIONS });
    const started = performance.now();
    const written = await writers(server.url, busy);
    subject.writeSeconds += (performance.now() - started) / 1000;
    return { underWrites: await busy, written };
  });
  const { underWrites, written } = busyRun.result;
  subject.busyCpu.push(busyRun.serverMs / busyRun.wallMs);
  subject.loaded.push(underWrites);
  subject.writeTimes.push(...written.times);
  subject.writeFailures += written.failures;
  return (
    `idle ${Math.round(quiet.requestsPerSecond)}/s (p99 ${quiet.p99Ms.toFixed(2)} ms)   ` +
    `under writes ${Math.round(underWrites.requestsPerSecond)}/s (p99 ${underWrites.p99Ms.toFixed(2)} ms)   ` +
    `writes ${written.times.length} (p50 ${percentile(written.times, 50).toFixed(2)} ms)`
  );
}

/** Prints one server's figures; true when it meets the goal. */
async function report(subject: Subject): Promise<boolean> {
  const { server, idle, loaded, writeTimes } = subject;
  // Writes alone: what one write costs the server (and the writers' HTTP client) in CPU.
  const alone = await withCpu(server.child.pid!, () =>
    writers(server.url, new Promise((resolve) => setTimeout(resolve, SECONDS * 1000))),
  );
  const aloneWrites = alone.result.times.length;
  const idleRate = median(idle.map((r) => r.requestsPerSecond));
  const busyRate = median(loaded.map((r) => r.requestsPerSecond));
  const ratio = busyRate / idleRate;
  // Each round's pair ran seconds apart: on a shared machine their ratio drifts less than the
  // medians taken over the whole run.
  const pairRatio = median(loaded.map((r, i) => r.requestsPerSecond / idle[i]!.requestsPerSecond));
  console.log(`\n## ${subject.name}\n`);
  console.log('| evaluation load              | median req/s | median p99 |');
  console.log('| ---------------------------- | -----------: | ---------: |');
  console.log(
    `| idle                         | ${Math.round(idleRate).toLocaleString('en-US').padStart(12)} | ${`${median(idle.map((r) => r.p99Ms)).toFixed(2)} ms`.padStart(10)} |`,
  );
  console.log(
    `| ${WRITERS} writers updating flags     | ${Math.round(busyRate).toLocaleString('en-US').padStart(12)} | ${`${median(loaded.map((r) => r.p99Ms)).toFixed(2)} ms`.padStart(10)} |`,
  );
  console.log();
  console.log(
    `ratio under writes / idle: ${ratio.toFixed(2)}x (goal ≥ ${GOAL}x): ${ratio >= GOAL ? 'PASS' : 'FAIL'}; ` +
      `median of the rounds' own ratios ${pairRatio.toFixed(2)}x`,
  );
  console.log(
    `writes: ${writeTimes.length} in ${subject.writeSeconds.toFixed(1)} s = ${Math.round(writeTimes.length / subject.writeSeconds)}/s, ` +
      `p50 ${percentile(writeTimes, 50).toFixed(2)} ms, p99 ${percentile(writeTimes, 99).toFixed(2)} ms, failed ${subject.writeFailures}; ` +
      `evaluation errors ${[...idle, ...loaded].reduce((sum, r) => sum + r.errors, 0)}`,
  );
  console.log(
    `server CPU: ${(median(subject.evalCpu) * 1000).toFixed(1)} µs per evaluation (idle rounds); ` +
      `${(alone.serverMs / aloneWrites).toFixed(2)} ms per write (writes alone: ${aloneWrites} in ${SECONDS} s, ` +
      `writers' client ${(alone.clientMs / aloneWrites).toFixed(2)} ms per write); ` +
      `server busy ${Math.round(median(subject.idleCpu) * 100)}% of a core idle, ${Math.round(median(subject.busyCpu) * 100)}% under writes`,
  );
  return ratio >= GOAL;
}

const dir = mkdtempSync(join(tmpdir(), 'ensign-bench-starve-'));
const subjects: Subject[] = [];
try {
  const seedStart = performance.now();
  const connection = connect({ url: `file:${join(dir, 'ensign.db')}` }, silentLogger());
  await migrate(connection);
  const readonlyYaml = join(readonlyStyleDir(), 'default.yaml');
  await importFeatures(connection, createDatabaseStore(connection), [
    { path: readonlyYaml, content: readFileSync(readonlyYaml, 'utf8') },
    { path: 'writes.yaml', content: writesNamespace(FLAGS) },
  ]);
  await connection.db.destroy();
  const seedMs = performance.now() - seedStart;

  // Each server gets its own copy of the seeded file (the baseline's schema is the same).
  // Both bundles built the same way, so a comparison measures the sources and not the build.
  const root = fileURLToPath(new URL('..', import.meta.url));
  const servers: [string, string][] = [['this tree', await bundleServerOf(root, join(dir, 'this-tree.mjs'))]];
  if (BASELINE) servers.push([`baseline ${BASELINE}`, await baselineBundle(BASELINE, dir)]);
  for (const [name, cli] of servers) {
    const own = join(dir, `server-${subjects.length}`);
    mkdirSync(own);
    copyFileSync(join(dir, 'ensign.db'), join(own, 'ensign.db'));
    const server = await startServer(own, cli);
    subjects.push({
      name,
      server,
      idle: [],
      loaded: [],
      writeTimes: [],
      writeFailures: 0,
      writeSeconds: 0,
      idleCpu: [],
      busyCpu: [],
      evalCpu: [],
    });
    const answer = (await (
      await fetch(`${server.url}/evaluate/v1/variant`, { method: 'POST', body: EVALUATE.body })
    ).json()) as { variantKey?: string };
    if (answer.variantKey !== 'variant_002') throw new Error(`unexpected answer ${JSON.stringify(answer)}`);
  }

  console.log(
    `# Writes vs evaluation — Node ${process.version}, ${new Date().toISOString()}\n` +
      `SQLite file; \`default\` = readonly default.yaml, \`writes\` = ${FLAGS} flags (seeded in ${(seedMs / 1000).toFixed(1)} s);\n` +
      `wrk -t1 -c${CONNECTIONS} -d${SECONDS}s POST /evaluate/v1/variant (default/flag_001); ${WRITERS} closed-loop writers PUT /api/v1/namespaces/writes/flags/{random};\n` +
      `${ROUNDS} rounds alternating idle / under writes${BASELINE ? `, each round on this tree then on ${BASELINE} (order swapped every round)` : ''}.\n`,
  );
  for (const { server } of subjects) {
    // Warm-up: JIT for both paths.
    await Promise.all([
      runWrkAsync(`${server.url}/evaluate/v1/variant`, EVALUATE, { seconds: 1, connections: CONNECTIONS }),
      writers(server.url, new Promise((resolve) => setTimeout(resolve, 1000))),
    ]);
  }
  for (let r = 0; r < ROUNDS; r++) {
    const order = r % 2 === 0 ? subjects : [...subjects].reverse();
    for (const subject of order) {
      const line = await round(subject);
      console.log(`round ${r + 1}${subjects.length > 1 ? ` ${subject.name}` : ''}: ${line}`);
    }
  }
  let met = true;
  for (const subject of subjects) met = (await report(subject)) && met;
  if (subjects.length > 1) {
    const [now, base] = subjects.map((s) => median(s.loaded.map((r) => r.requestsPerSecond)));
    console.log(`\nevaluation under writes, this tree / baseline: ${(now! / base!).toFixed(2)}x`);
  }
  if (!met) process.exitCode = 1;
} finally {
  for (const { server } of subjects) {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
  rmSync(dir, { recursive: true, force: true });
}
