// Do writes starve evaluation? (issue 12, "Writes never starve evaluation"). One run, side by side:
// the real server (the bundle `npm start` runs) on an embedded SQLite file holding Flipt's
// readonly default.yaml in `default` and a 1,000-flag namespace `writes`. Rounds alternate:
//   idle:   wrk POSTs /evaluate/v1/variant (flag_001 in `default`) for --seconds;
//   writes: the same wrk load while two clients update random flags of `writes` through the REST
//           API back to back (closed loop, each waits for its answer before sending the next).
// Prints evaluation requests/s and p99 for both, the ratio of the medians (goal ≥ 0.8x), and the
// writers' rate and latency p50/p99. CPU time does not depend on how busy the shared machine is,
// so it also prints, from /proc, the server's CPU per evaluation and per write (writes alone,
// after the rounds: the writers' own HTTP client cost too), and how much of one core the server
// used in each window (below 100% means it waited for its clients, not for CPU).
// Run: npx node bench/write-starvation.ts [--rounds 3] [--seconds 5] [--connections 32] [--flags 1000]

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { Agent, request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../packages/server/src/observability/logger.ts';
import {
  connect,
  createDatabaseStore,
  importFeatures,
  migrate,
} from '../packages/server/src/storage/database/index.ts';
import { readonlyStyleDir } from '../packages/server/test/support/datasets.ts';
import {
  type BundledServer,
  buildServerBundle,
  EVALUATION_BODY,
  freePort,
  startBundledServer,
  writeServerConfig,
} from './lib/bundled-server.ts';
import { clockTicks } from './lib/clock-ticks.ts';
import { median } from './lib/measure.ts';
import { option } from './lib/options.ts';
import { runWrkAsync, type WrkResult, wrkAvailable } from './lib/wrk.ts';

const ROUNDS = option('--rounds', 3);
const SECONDS = option('--seconds', 5);
const CONNECTIONS = option('--connections', 32);
const FLAGS = option('--flags', 1000);
const WRITERS = 2;
const GOAL = 0.8;

if (!wrkAvailable()) {
  console.error('this bench needs wrk: apt-get install wrk');
  process.exit(2);
}

buildServerBundle();

const EVALUATE = {
  method: 'POST' as const,
  headers: { 'content-type': 'application/json' },
  body: EVALUATION_BODY,
};

/** A namespace of `count` flags, each with two variants and a 50/50 rule on one segment. */
function writesNamespace(count: number): string {
  const lines = [
    'version: "1.2"',
    'namespace: writes',
    'segments:',
    '  - key: everyone',
    '    name: Everyone',
    '    match_type: ALL_MATCH_TYPE',
    'flags:',
  ];
  for (let i = 0; i < count; i++) {
    const key = `w${String(i).padStart(4, '0')}`;
    lines.push(
      `  - key: ${key}`,
      `    name: ${key}`,
      '    type: VARIANT_FLAG_TYPE',
      '    enabled: true',
      '    variants: [{ key: a }, { key: b }]',
      '    rules:',
      '      - segment: everyone',
      '        distributions: [{ variant: a, rollout: 50 }, { variant: b, rollout: 50 }]',
    );
  }
  return `${lines.join('\n')}\n`;
}

async function startServer(dir: string): Promise<BundledServer> {
  const port = await freePort();
  const config = join(dir, 'config.yml');
  writeServerConfig(config, port, { databaseUrl: `file:${join(dir, 'ensign.db')}` });
  return startBundledServer(config, port);
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

const dir = mkdtempSync(join(tmpdir(), 'ensign-bench-starve-'));
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

  const server = await startServer(dir);
  try {
    const answer = (await (
      await fetch(`${server.url}/evaluate/v1/variant`, { method: 'POST', body: EVALUATE.body })
    ).json()) as { variantKey?: string };
    if (answer.variantKey !== 'variant_002') throw new Error(`unexpected answer ${JSON.stringify(answer)}`);

    console.log(
      `# Writes vs evaluation — Node ${process.version}, ${new Date().toISOString()}\n` +
        `SQLite file; \`default\` = readonly default.yaml, \`writes\` = ${FLAGS} flags (seeded in ${(seedMs / 1000).toFixed(1)} s);\n` +
        `wrk -t1 -c${CONNECTIONS} -d${SECONDS}s POST /evaluate/v1/variant (default/flag_001); ${WRITERS} closed-loop writers PUT /api/v1/namespaces/writes/flags/{random};\n` +
        `${ROUNDS} rounds alternating idle / under writes.\n`,
    );
    const idle: WrkResult[] = [];
    const loaded: WrkResult[] = [];
    const writeTimes: number[] = [];
    let writeFailures = 0;
    let writeSeconds = 0;
    const evalUrl = `${server.url}/evaluate/v1/variant`;
    // Warm-up: JIT for both paths.
    await Promise.all([
      runWrkAsync(evalUrl, EVALUATE, { seconds: 1, connections: CONNECTIONS }),
      writers(server.url, new Promise((resolve) => setTimeout(resolve, 1000))),
    ]);
    const pid = server.child.pid!;
    const idleCpu: number[] = [];
    const busyCpu: number[] = [];
    const evalCpu: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const idleRun = await withCpu(pid, () =>
        runWrkAsync(evalUrl, EVALUATE, { seconds: SECONDS, connections: CONNECTIONS }),
      );
      const quiet = idleRun.result;
      idle.push(quiet);
      idleCpu.push(idleRun.serverMs / idleRun.wallMs);
      evalCpu.push(idleRun.serverMs / (quiet.requestsPerSecond * SECONDS));
      const busyRun = await withCpu(pid, async () => {
        const busy = runWrkAsync(evalUrl, EVALUATE, { seconds: SECONDS, connections: CONNECTIONS });
        const started = performance.now();
        const written = await writers(server.url, busy);
        writeSeconds += (performance.now() - started) / 1000;
        return { underWrites: await busy, written };
      });
      const { underWrites, written } = busyRun.result;
      busyCpu.push(busyRun.serverMs / busyRun.wallMs);
      loaded.push(underWrites);
      writeTimes.push(...written.times);
      writeFailures += written.failures;
      console.log(
        `round ${round + 1}: idle ${Math.round(quiet.requestsPerSecond)}/s (p99 ${quiet.p99Ms.toFixed(2)} ms)   ` +
          `under writes ${Math.round(underWrites.requestsPerSecond)}/s (p99 ${underWrites.p99Ms.toFixed(2)} ms)   ` +
          `writes ${written.times.length} (p50 ${percentile(written.times, 50).toFixed(2)} ms)`,
      );
    }
    // Writes alone: what one write costs the server (and the writers' HTTP client) in CPU.
    const alone = await withCpu(pid, () =>
      writers(server.url, new Promise((resolve) => setTimeout(resolve, SECONDS * 1000))),
    );
    const aloneWrites = alone.result.times.length;
    const idleRate = median(idle.map((r) => r.requestsPerSecond));
    const busyRate = median(loaded.map((r) => r.requestsPerSecond));
    const ratio = busyRate / idleRate;
    console.log();
    console.log('| evaluation load              | median req/s | median p99 |');
    console.log('| ---------------------------- | -----------: | ---------: |');
    console.log(
      `| idle                         | ${Math.round(idleRate).toLocaleString('en-US').padStart(12)} | ${`${median(idle.map((r) => r.p99Ms)).toFixed(2)} ms`.padStart(10)} |`,
    );
    console.log(
      `| ${WRITERS} writers updating flags     | ${Math.round(busyRate).toLocaleString('en-US').padStart(12)} | ${`${median(loaded.map((r) => r.p99Ms)).toFixed(2)} ms`.padStart(10)} |`,
    );
    console.log();
    // Each round's pair ran seconds apart: on a shared machine their ratio drifts less than the
    // medians taken over the whole run.
    const pairRatio = median(loaded.map((r, i) => r.requestsPerSecond / idle[i]!.requestsPerSecond));
    console.log(
      `ratio under writes / idle: ${ratio.toFixed(2)}x (goal ≥ ${GOAL}x): ${ratio >= GOAL ? 'PASS' : 'FAIL'}; ` +
        `median of the rounds' own ratios ${pairRatio.toFixed(2)}x`,
    );
    console.log(
      `writes: ${writeTimes.length} in ${writeSeconds.toFixed(1)} s = ${Math.round(writeTimes.length / writeSeconds)}/s, ` +
        `p50 ${percentile(writeTimes, 50).toFixed(2)} ms, p99 ${percentile(writeTimes, 99).toFixed(2)} ms, failed ${writeFailures}; ` +
        `evaluation errors ${[...idle, ...loaded].reduce((sum, r) => sum + r.errors, 0)}`,
    );
    console.log(
      `server CPU: ${(median(evalCpu) * 1000).toFixed(1)} µs per evaluation (idle rounds); ` +
        `${(alone.serverMs / aloneWrites).toFixed(2)} ms per write (writes alone: ${aloneWrites} in ${SECONDS} s, ` +
        `writers' client ${(alone.clientMs / aloneWrites).toFixed(2)} ms per write); ` +
        `server busy ${Math.round(median(idleCpu) * 100)}% of a core idle, ${Math.round(median(busyCpu) * 100)}% under writes`,
    );
    if (ratio < GOAL) process.exitCode = 1;
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => server.child.once('exit', resolve));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
