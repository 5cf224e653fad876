// The edge handler in each runtime from npm, side by side with the origin server as baseline:
// cold start (process spawn to the first evaluation answered, origin sync included), evaluations
// per second through handler.fetch inside the runtime, p50/p99 of an evaluation's HTTP round trip
// (keep-alive, sequential, from this Node process), and the worker bundle's size (minified,
// gzipped). Usage: node bench/edge.ts [--rounds 3] [--evaluations 20000] [--requests 2000]

import { type ChildProcess, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { bundleWorker, freePort, WORKER_FROM_ENV } from '../packages/edge/test/support/bundle.ts';
import { ORIGIN_TOKEN, startOrigin } from '../packages/edge/test/support/origin.ts';
import { binary } from '../packages/edge/test/support/runtimes.ts';
import { median } from './lib/measure.ts';
import { option } from './lib/options.ts';

const ROUNDS = option('--rounds', 3);
const EVALUATIONS = option('--evaluations', 20_000);
const REQUESTS = option('--requests', 2_000);
const ROOT = fileURLToPath(new URL('..', import.meta.url));

const origin = await startOrigin(1, 200);
const flagKey = origin.data.variantFlags[5]!;
const EVALUATION = JSON.stringify({
  flagKey,
  entityId: 'user-42',
  context: { plan: 'pro', age: '33', beta: 'true' },
});

// The same wrapper everywhere: the handler, plus /__bench?n=N running N evaluations through
// handler.fetch inside the runtime (timed from outside: workerd's clock stands still while
// JavaScript runs, so in-worker timing would read zero).
const HANDLER = `
import { createEdgeHandler } from '@ensign/edge';
const handler = createEdgeHandler({ origin: ${JSON.stringify(origin.url)}, token: ${JSON.stringify(ORIGIN_TOKEN)}, refreshMs: 60000, stream: false });
const EVALUATION = ${JSON.stringify(EVALUATION)};
async function app(request, env, ctx) {
  const url = new URL(request.url);
  if (url.pathname !== '/__bench') return handler.fetch(request, env, ctx);
  const n = Number(url.searchParams.get('n'));
  let last = '';
  for (let i = 0; i < n; i++) {
    const r = await handler.fetch(new Request(url.origin + '/evaluate/v1/variant', { method: 'POST', body: EVALUATION }), env, ctx);
    last = await r.text();
  }
  return new Response(last);
}
`;

interface Runtime {
  name: string;
  entry: (port: number) => string;
  format?: 'esm' | 'iife';
  platform?: 'browser' | 'node';
  command: (file: string, dir: string, port: number) => string[] | undefined;
}

const RUNTIMES: Runtime[] = [
  {
    name: 'Node 24 (@hono/node-server)',
    platform: 'node',
    entry: (port) => `${HANDLER}
import { serve } from '@hono/node-server';
serve({ fetch: (r) => app(r), port: ${port}, hostname: '127.0.0.1' });`,
    command: (file) => [process.execPath, file],
  },
  {
    name: 'Deno (Deno.serve)',
    entry: (port) => `${HANDLER}
Deno.serve({ hostname: '127.0.0.1', port: ${port}, onListen() {} }, (r) => app(r));`,
    command: (file) => {
      const deno = binary('deno');
      return deno ? [deno, 'run', '--quiet', '--no-prompt', '--allow-net=127.0.0.1', file] : undefined;
    },
  },
  {
    name: 'Bun (Bun.serve)',
    entry: (port) => `${HANDLER}
Bun.serve({ hostname: '127.0.0.1', port: ${port}, fetch: (r) => app(r) });`,
    command: (file) => {
      const bun = binary('bun');
      return bun ? [bun, 'run', file] : undefined;
    },
  },
  {
    name: 'workerd',
    entry: () => `${HANDLER}
export default { fetch: app };`,
    command: (_file, dir, port) => {
      const workerd = binary('workerd');
      if (!workerd) return undefined;
      writeFileSync(
        join(dir, 'bench.capnp'),
        `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [(name = "edge", worker = .w), (name = "loopback", network = (allow = ["public", "private", "local"]))],
  sockets = [(name = "http", address = "127.0.0.1:${port}", http = (), service = "edge")],
);
const w :Workerd.Worker = (modules = [(name = "worker.mjs", esModule = embed "worker.mjs")], compatibilityDate = "2025-06-01", globalOutbound = "loopback");
`,
      );
      return [workerd, 'serve', join(dir, 'bench.capnp')];
    },
  },
  {
    name: "edge-runtime (Vercel's VM)",
    format: 'iife',
    entry: () => `${HANDLER}
addEventListener('fetch', (event) => event.respondWith(app(event.request, {}, event)));`,
    command: (file, dir, port) => {
      const launcher = join(dir, 'launch.mjs');
      writeFileSync(
        launcher,
        `import { readFileSync } from 'node:fs';
import { EdgeRuntime, runServer } from ${JSON.stringify(join(ROOT, 'node_modules/edge-runtime/dist/index.js'))};
const runtime = new EdgeRuntime({ initialCode: readFileSync(${JSON.stringify(file)}, 'utf8') });
await runServer({ runtime, port: ${port}, host: '127.0.0.1' });`,
      );
      return [process.execPath, launcher];
    },
  },
];

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function firstAnswer(url: string, deadline: number): Promise<void> {
  for (;;) {
    try {
      const response = await fetch(`${url}/evaluate/v1/variant`, { method: 'POST', body: EVALUATION });
      const text = await response.text();
      if (response.status === 200) return;
      if (Date.now() > deadline) throw new Error(`answered ${response.status}: ${text}`);
    } catch (error) {
      if (Date.now() > deadline) throw error;
    }
    await sleep(2);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

async function roundTrips(url: string, count: number): Promise<number[]> {
  const times: number[] = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    const response = await fetch(`${url}/evaluate/v1/variant`, { method: 'POST', body: EVALUATION });
    await response.text();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

interface Row {
  name: string;
  coldMs?: number;
  perSecond?: number;
  p50?: number;
  p99?: number;
  gzipKb?: number;
  note?: string;
}

async function measure(runtime: Runtime): Promise<Row> {
  const port = await freePort();
  const bundle = await bundleWorker(runtime.entry(port), runtime.format ?? 'esm', true, runtime.platform);
  const command = runtime.command(bundle.file, bundle.dir, port);
  if (!command) return { name: runtime.name, note: 'not installed' };
  const url = `http://127.0.0.1:${port}`;
  const colds: number[] = [];
  const rates: number[] = [];
  let trips: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const started = performance.now();
    const child = spawn(command[0]!, command.slice(1), {
      stdio: 'ignore',
      env: { ...process.env, DENO_NO_UPDATE_CHECK: '1' },
    });
    try {
      await firstAnswer(url, Date.now() + 30_000);
      colds.push(performance.now() - started);
      // Warm up, then time N evaluations inside the runtime against an empty call.
      await (await fetch(`${url}/__bench?n=2000`)).text();
      const t0 = performance.now();
      await (await fetch(`${url}/__bench?n=0`)).text();
      const empty = performance.now() - t0;
      const t1 = performance.now();
      await (await fetch(`${url}/__bench?n=${EVALUATIONS}`)).text();
      rates.push(EVALUATIONS / ((performance.now() - t1 - empty) / 1000));
      if (r === ROUNDS - 1) trips = await roundTrips(url, REQUESTS);
    } finally {
      await stop(child);
    }
  }
  return {
    name: runtime.name,
    coldMs: median(colds),
    perSecond: median(rates),
    p50: percentile(trips, 0.5),
    p99: percentile(trips, 0.99),
    gzipKb: gzipSync(bundle.code).length / 1024,
  };
}

const rows: Row[] = [];
for (const runtime of RUNTIMES) {
  try {
    rows.push(await measure(runtime));
  } catch (error) {
    rows.push({ name: runtime.name, note: `failed: ${(error as Error).message}` });
  }
}
// The baseline: the origin (the Ensign server on Node) answering the same request itself.
const baseline = await (async () => {
  const times: number[] = [];
  for (let i = 0; i < REQUESTS; i++) {
    const start = performance.now();
    const response = await fetch(`${origin.url}/evaluate/v1/variant`, {
      method: 'POST',
      body: EVALUATION,
      headers: { authorization: `Bearer ${ORIGIN_TOKEN}` },
    });
    await response.text();
    times.push(performance.now() - start);
  }
  return times.sort((a, b) => a - b);
})();
rows.push({
  name: 'origin: Ensign server on Node (baseline)',
  p50: percentile(baseline, 0.5),
  p99: percentile(baseline, 0.99),
});
await origin.close();
const plain = await bundleWorker(WORKER_FROM_ENV, 'esm', true);

const f = (v: number | undefined, digits = 0, unit = '') =>
  v === undefined
    ? '—'
    : `${v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits })}${unit}`;
const base = rows.at(-1)!.p50!;
console.log(
  `edge handler, ${ROUNDS} rounds (medians), ${EVALUATIONS} in-runtime evaluations, ${REQUESTS} round trips, ${origin.data.variantFlags.length + origin.data.booleanFlags.length} flags`,
);
console.log(
  '| runtime | cold start | evaluations/s in the runtime | round trip p50 / p99 | p50 vs origin | worker min+gz |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const row of rows) {
  if (row.note) {
    console.log(`| ${row.name} | ${row.note} | | | | |`);
    continue;
  }
  console.log(
    `| ${row.name} | ${f(row.coldMs, 0, ' ms')} | ${f(row.perSecond, 0, '/s')} | ${f(row.p50, 2)} / ${f(row.p99, 2)} ms | ${f(row.p50! / base, 2, 'x')} | ${f(row.gzipKb, 1, ' KB')} |`,
  );
}
console.log(
  `plain module worker (export default createEdgeHandler(env => ...)): ${(plain.code.length / 1024).toFixed(1)} KB minified, ${(gzipSync(plain.code).length / 1024).toFixed(1)} KB gzipped`,
);
