// HTTP benchmark for `ensign server` (issue: Flipt's HTTP API on declarative local storage).
// Side by side in one run, each server in its own process, wrk as the load (Debian `wrk`):
//   1. POST /evaluate/v1/variant (readonly-style flag_001, rule 5 of 50) against a bare node:http
//      server doing the same JSON work (bench/lib/bare-server.ts): requests/s, ratio, errors;
//   2. p50/p99 latency at a fixed 1,000 requests/s (open loop) on both;
//   3. the client snapshot endpoint's 304 path (If-None-Match);
//   4. resident memory of the server with the readonly dataset loaded, after the load;
//   5. time from process start to a healthy /health.
// Run: npm run bench:http [-- --rounds 3 --seconds 5 --connections 32]

import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readonlyStyleDir } from '../packages/server/test/support/datasets.ts';
import { freePort, writeServerConfig } from './lib/bundled-server.ts';
import { fixedRate } from './lib/fixed-rate.ts';
import { median } from './lib/measure.ts';
import { option } from './lib/options.ts';
import { runWrk, wrkAvailable } from './lib/wrk.ts';

const ROUNDS = option('--rounds', 3);
const SECONDS = option('--seconds', 5);
const CONNECTIONS = option('--connections', 32);

const READONLY = readonlyStyleDir();
// The server as `npm start` runs it: the bundle in dist/, built now.
const CLI = fileURLToPath(new URL('../dist/server/ensign.mjs', import.meta.url));
execFileSync(process.execPath, [fileURLToPath(new URL('../scripts/build.ts', import.meta.url)), 'server'], {
  stdio: 'ignore',
});
const BARE = fileURLToPath(new URL('./lib/bare-server.ts', import.meta.url));
const BODY = JSON.stringify({
  namespaceKey: 'default',
  flagKey: 'flag_001',
  entityId: 'some-fixed-entity-id',
  context: { in_segment: 'segment_005' },
});

if (!wrkAvailable()) {
  console.error('bench:http needs wrk: apt-get install wrk');
  process.exit(2);
}

interface Running {
  child: ChildProcess;
  url: string;
  startedMs: number;
  stop(): Promise<void>;
}

async function waitHealthy(url: string, child: ChildProcess): Promise<void> {
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

async function startProcess(argv: string[], url: string): Promise<Running> {
  const started = performance.now();
  const child = spawn(process.execPath, argv, { stdio: ['ignore', 'ignore', 'inherit'] });
  await waitHealthy(url, child);
  return {
    child,
    url,
    startedMs: performance.now() - started,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

async function startEnsign(options: { database?: boolean } = {}): Promise<Running> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ensign-bench-'));
  const config = join(dir, 'config.yml');
  writeServerConfig(
    config,
    port,
    options.database ? { databaseUrl: `file:${join(dir, 'ensign.db')}` } : { localPath: READONLY },
  );
  return startProcess([CLI, 'server', '--config', config], `http://127.0.0.1:${port}`);
}

async function startBare(): Promise<Running> {
  const port = await freePort();
  return startProcess([BARE, String(port)], `http://127.0.0.1:${port}`);
}

function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0) / 1024;
}

const evaluate = { method: 'POST' as const, body: BODY, headers: { 'content-type': 'application/json' } };

// Correctness first: both answer the same variant.
const ensign = await startEnsign();
const check = (await (
  await fetch(`${ensign.url}/evaluate/v1/variant`, { method: 'POST', body: BODY })
).json()) as {
  variantKey: string;
};
if (check.variantKey !== 'variant_002') throw new Error(`unexpected answer ${JSON.stringify(check)}`);

console.log(
  `POST /evaluate/v1/variant, wrk -t1 -c${CONNECTIONS} -d${SECONDS}s, ${ROUNDS} alternating rounds (median)`,
);
const ensignRates: number[] = [];
const bareRates: number[] = [];
let errors = 0;
const bare = await startBare();
for (let round = 0; round < ROUNDS; round++) {
  const e = runWrk(`${ensign.url}/evaluate/v1/variant`, evaluate, {
    seconds: SECONDS,
    connections: CONNECTIONS,
  });
  const b = runWrk(`${bare.url}/evaluate/v1/variant`, evaluate, {
    seconds: SECONDS,
    connections: CONNECTIONS,
  });
  ensignRates.push(e.requestsPerSecond);
  bareRates.push(b.requestsPerSecond);
  errors += e.errors;
  console.log(
    `  round ${round + 1}: ensign ${Math.round(e.requestsPerSecond)}/s (p99 ${e.p99Ms.toFixed(2)} ms, ${e.errors} errors)   bare ${Math.round(b.requestsPerSecond)}/s (p99 ${b.p99Ms.toFixed(2)} ms)`,
  );
}
const ratio = median(ensignRates) / median(bareRates);
console.log(
  `  ensign ${Math.round(median(ensignRates))}/s   bare node:http ${Math.round(median(bareRates))}/s   ratio ${ratio.toFixed(2)}x (required 0.6x, goal 0.85x)   errors ${errors}`,
);

console.log('\nLatency at a fixed 1,000 requests/s for 10 s (open loop, from due time)');
const fixedEnsign = await fixedRate(`${ensign.url}/evaluate/v1/variant`, evaluate, {
  ratePerSecond: 1000,
  seconds: 10,
});
const fixedBare = await fixedRate(`${bare.url}/evaluate/v1/variant`, evaluate, {
  ratePerSecond: 1000,
  seconds: 10,
});
const line = (name: string, r: typeof fixedEnsign) =>
  `  ${name.padEnd(15)} p50 ${r.p50Ms.toFixed(2)} ms   p99 ${r.p99Ms.toFixed(2)} ms   max ${r.maxMs.toFixed(1)} ms   errors ${r.errors}/${r.sent}`;
console.log(line('ensign', fixedEnsign));
console.log(line('bare node:http', fixedBare));
console.log(`  p99 goal: under 2 ms (Flipt's own k6 run reported 7.6-22.6 ms)`);
await bare.stop();

console.log('\nClient snapshot endpoint, 304 path (If-None-Match equal to the ETag)');
const snapshotUrl = `${ensign.url}/internal/v1/evaluation/snapshot/namespace/default`;
const first = await fetch(snapshotUrl, { headers: { 'x-flipt-accept-server-version': '1.47.0' } });
const etag = first.headers.get('etag') ?? '';
const fullBodyKb = (await first.text()).length / 1024;
const notModified = await fetch(snapshotUrl, {
  headers: { 'x-flipt-accept-server-version': '1.47.0', 'if-none-match': etag },
});
if (notModified.status !== 304) throw new Error(`expected 304, got ${notModified.status}`);
const conditional = runWrk(
  snapshotUrl,
  { method: 'GET', headers: { 'if-none-match': etag, 'x-flipt-accept-server-version': '1.47.0' } },
  { seconds: SECONDS, connections: CONNECTIONS },
);
const full = runWrk(
  snapshotUrl,
  { method: 'GET', headers: { 'x-flipt-accept-server-version': '1.47.0' } },
  { seconds: SECONDS, connections: CONNECTIONS },
);
console.log(
  `  304: ${Math.round(conditional.requestsPerSecond)}/s (p99 ${conditional.p99Ms.toFixed(2)} ms)   full 200 body (${fullBodyKb.toFixed(0)} KB): ${Math.round(full.requestsPerSecond)}/s   errors ${conditional.errors + full.errors}`,
);

console.log(
  `\nResident memory of the server with the readonly dataset loaded, after the runs: ${rssMb(ensign.child.pid!).toFixed(0)} MB`,
);
await ensign.stop();

const starts: number[] = [];
for (let i = 0; i < 5; i++) {
  const s = await startEnsign();
  starts.push(s.startedMs);
  await s.stop();
}
console.log(
  `Start to healthy (spawn to first 200 from /health, readonly dataset, median of 5): ${median(starts).toFixed(0)} ms`,
);
const emptyStarts: number[] = [];
for (let i = 0; i < 5; i++) {
  const s = await startEnsign({ database: true });
  emptyStarts.push(s.startedMs);
  await s.stop();
}
console.log(
  `Start to healthy on the embedded default (SQLite, empty database, median of 5): ${median(emptyStarts).toFixed(0)} ms`,
);

if (ratio < 0.6 || errors > 0) {
  console.error(`\nFAILED: ratio ${ratio.toFixed(2)}x (needs 0.6x), errors ${errors}`);
  process.exit(1);
}
