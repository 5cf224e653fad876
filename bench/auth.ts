// Evaluation throughput with token authentication on vs off, side by side in one run: two
// `ensign server` processes on the same dataset (declarative readonly-style), one with
// `authentication.required: true` and the token method, wrk as the load, alternating rounds.
// The authenticated one receives `Authorization: Bearer <bootstrap token>` on every request.
// Besides requests/s (which a loaded machine makes noisy), the server's own CPU time per request
// is read from /proc before and after each run: that ratio is what the gate costs, whatever else
// the machine is doing.
// With --cookie the guarded server gets the token as a browser session does instead, in the
// `flipt_client_token` cookie (the path an OIDC or GitHub login leaves the UI on).
// Run: npm run bench:auth [-- --rounds 5 --seconds 5 --connections 32 --cookie]

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readonlyStyleDir } from '../packages/server/test/support/datasets.ts';
import {
  EVALUATION_BODY as BODY,
  buildServerBundle,
  freePort,
  startBundledServer,
} from './lib/bundled-server.ts';
import { median } from './lib/measure.ts';
import { flag, option } from './lib/options.ts';
import { runWrk, wrkAvailable } from './lib/wrk.ts';

const ROUNDS = option('--rounds', 5);
const SECONDS = option('--seconds', 5);
const CONNECTIONS = option('--connections', 32);
const TOKEN = 'bench-bootstrap-token';
const COOKIE = flag('--cookie');

if (!wrkAvailable()) {
  console.error('bench:auth needs wrk: apt-get install wrk');
  process.exit(2);
}

const READONLY = readonlyStyleDir();
buildServerBundle();

async function start(auth: boolean) {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'ensign-bench-auth-'));
  const config = join(dir, 'config.yml');
  const lines = [
    'log: { level: warn }',
    `server: { host: 127.0.0.1, http_port: ${port}, grpc_port: 0 }`,
    `storage: { type: local, local: { path: ${JSON.stringify(READONLY)} } }`,
    `db: { url: ${JSON.stringify(`file:${join(dir, 'auth.db')}`)} }`,
  ];
  if (auth) {
    lines.push(
      `authentication: { required: true, methods: { token: { enabled: true, bootstrap: { token: ${TOKEN} } } } }`,
    );
  }
  writeFileSync(config, `${lines.join('\n')}\n`);
  return startBundledServer(config, port);
}

const open = await start(false);
const guarded = await start(true);
const headers = { 'content-type': 'application/json' };
const withToken = COOKIE
  ? { ...headers, cookie: `flipt_client_token=${TOKEN}` }
  : { ...headers, authorization: `Bearer ${TOKEN}` };

// Correctness first: the guarded server refuses without the token and answers the same with it.
const refused = await fetch(`${guarded.url}/evaluate/v1/variant`, { method: 'POST', body: BODY, headers });
if (refused.status !== 401) throw new Error(`expected 401 without a token, got ${refused.status}`);
for (const [url, h] of [
  [open.url, headers],
  [guarded.url, withToken],
] as const) {
  const r = (await (
    await fetch(`${url}/evaluate/v1/variant`, { method: 'POST', body: BODY, headers: h })
  ).json()) as {
    variantKey: string;
  };
  if (r.variantKey !== 'variant_002') throw new Error(`unexpected answer ${JSON.stringify(r)}`);
}

console.log(
  `POST /evaluate/v1/variant, wrk -t1 -c${CONNECTIONS} -d${SECONDS}s, ${ROUNDS} alternating rounds (median), credential in ${COOKIE ? 'the session cookie' : 'the Authorization header'}`,
);
/** CPU seconds (user + system) a process has used so far. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
}

function measured(url: string, pid: number, h: Record<string, string>) {
  const before = cpuSeconds(pid);
  const r = runWrk(
    `${url}/evaluate/v1/variant`,
    { method: 'POST', body: BODY, headers: h },
    {
      seconds: SECONDS,
      connections: CONNECTIONS,
    },
  );
  const cpuUs = ((cpuSeconds(pid) - before) * 1e6) / (r.requestsPerSecond * SECONDS);
  return { ...r, cpuUs };
}

const on: number[] = [];
const off: number[] = [];
const cpuOn: number[] = [];
const cpuOff: number[] = [];
let errors = 0;
for (let round = 0; round < ROUNDS; round++) {
  const a = measured(open.url, open.child.pid!, headers);
  const b = measured(guarded.url, guarded.child.pid!, withToken);
  off.push(a.requestsPerSecond);
  on.push(b.requestsPerSecond);
  cpuOff.push(a.cpuUs);
  cpuOn.push(b.cpuUs);
  errors += a.errors + b.errors;
  console.log(
    `  round ${round + 1}: auth off ${Math.round(a.requestsPerSecond)}/s, ${a.cpuUs.toFixed(0)} µs CPU/request   token auth ${Math.round(b.requestsPerSecond)}/s, ${b.cpuUs.toFixed(0)} µs CPU/request`,
  );
}
console.log(
  `  auth off ${Math.round(median(off))}/s   token auth ${Math.round(median(on))}/s   ratio ${(median(on) / median(off)).toFixed(2)}x (goal 0.9x)   errors ${errors}`,
);
const paired = on.map((rate, i) => rate / off[i]!);
const pairedCpu = cpuOff.map((cpu, i) => cpu / cpuOn[i]!);
console.log(
  `  paired (per-round) ratios, median: throughput ${median(paired).toFixed(2)}x (rounds ${Math.min(...paired).toFixed(2)}–${Math.max(...paired).toFixed(2)})   CPU-bound throughput ${median(pairedCpu).toFixed(2)}x`,
);
console.log(
  `  server CPU per request: auth off ${median(cpuOff).toFixed(0)} µs   token auth ${median(cpuOn).toFixed(0)} µs   throughput this allows: ${(median(cpuOff) / median(cpuOn)).toFixed(2)}x`,
);
for (const s of [open, guarded]) s.child.kill('SIGTERM');
