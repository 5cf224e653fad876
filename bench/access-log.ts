// What the access log (log.access) costs on the evaluation hot path, side by side in one run:
// the bundled server with the key off (the default: nothing is installed on the request path)
// against the same server with it on, lines written to a file. wrk as the load (Debian `wrk`),
// alternating rounds, medians and the ratio.
// Run: npm run bench:access-log [-- --rounds 3 --seconds 5 --connections 32]

import { mkdtempSync, openSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createAccessLogger } from '../packages/server/src/observability/access-log.ts';
import { readonlyStyleDir } from '../packages/server/test/support/datasets.ts';
import {
  EVALUATION_BODY as BODY,
  buildServerBundle,
  freePort,
  startBundledServer,
  writeServerConfig,
} from './lib/bundled-server.ts';
import { median } from './lib/measure.ts';
import { option } from './lib/options.ts';
import { runWrk, wrkAvailable } from './lib/wrk.ts';

const ROUNDS = option('--rounds', 3);
const SECONDS = option('--seconds', 5);
const CONNECTIONS = option('--connections', 32);

if (!wrkAvailable()) {
  console.error('bench:access-log needs wrk: apt-get install wrk');
  process.exit(2);
}

buildServerBundle();
const READONLY = readonlyStyleDir();
const dir = mkdtempSync(join(tmpdir(), 'ensign-bench-access-'));
async function start(access: boolean) {
  const port = await freePort();
  const config = join(dir, `config-${access}.yml`);
  writeServerConfig(config, port, { localPath: READONLY }, ['encoding: json', `access: ${access}`]);
  const log = openSync(join(dir, `log-${access}.jsonl`), 'w');
  return startBundledServer(config, port, log);
}

const request = { method: 'POST' as const, body: BODY, headers: { 'content-type': 'application/json' } };
const off = await start(false);
const on = await start(true);
console.log(
  `POST /evaluate/v1/variant, wrk -t1 -c${CONNECTIONS} -d${SECONDS}s, ${ROUNDS} alternating rounds (median)`,
);
const offRates: number[] = [];
const onRates: number[] = [];
for (let round = 0; round < ROUNDS; round++) {
  const a = runWrk(`${off.url}/evaluate/v1/variant`, request, { seconds: SECONDS, connections: CONNECTIONS });
  const b = runWrk(`${on.url}/evaluate/v1/variant`, request, { seconds: SECONDS, connections: CONNECTIONS });
  offRates.push(a.requestsPerSecond);
  onRates.push(b.requestsPerSecond);
  console.log(
    `  round ${round + 1}: access log off ${Math.round(a.requestsPerSecond)}/s (p99 ${a.p99Ms.toFixed(2)} ms, ${a.errors} errors)   on ${Math.round(b.requestsPerSecond)}/s (p99 ${b.p99Ms.toFixed(2)} ms, ${b.errors} errors)`,
  );
}
const logged = statSync(join(dir, 'log-true.jsonl')).size;
// Paired per round: on a noisy machine the two medians alone swing far more than the cost.
const paired = onRates.map((rate, i) => rate / offRates[i]!);
console.log(
  `  off ${Math.round(median(offRates))}/s   on ${Math.round(median(onRates))}/s   median paired on/off ${median(paired).toFixed(2)}x (per round ${paired.map((r) => r.toFixed(2)).join(', ')})   ${(logged / 1024 / 1024).toFixed(1)} MB of access log written`,
);
for (const server of [off, on]) server.child.kill('SIGTERM');

// The CPU one line costs in-process (less at the mercy of a noisy machine than requests/s):
// the same logger and batched writer, into a sink that drops the text.
const LINES = 200_000;
const sink = createAccessLogger({ encoding: 'json' }, { write: () => true });
const cpuBefore = process.cpuUsage();
for (let i = 0; i < LINES; i++) {
  sink.info(
    { transport: 'http', method: 'POST', path: '/evaluate/v1/variant', status: 200, durationMs: 0.123 },
    'request',
  );
  if (i % 1000 === 999) await new Promise((resolve) => setImmediate(resolve));
}
const cpu = process.cpuUsage(cpuBefore);
console.log(
  `\nCPU per access log line (json, in-process): ${((cpu.user + cpu.system) / LINES).toFixed(2)} µs`,
);
