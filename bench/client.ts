// Client benchmark: @ensign/client's in-process evaluateVariant against (1) a round trip to the
// Ensign server's POST /evaluate/v1/variant (keep-alive, sequential) and (2) Flipt's own client
// (@flipt-io/flipt-client-js, WASM), same flag and context; the time from a change on the server
// to a connected client seeing it over SSE; and the browser bundle's size.
// Run: npx node bench/client.ts [--rounds N] [--seconds S] [--requests N] [--changes N]

import { FliptClient as FliptWasmClient } from '@flipt-io/flipt-client-js';
import { buildBrowserBundle } from '../packages/client/scripts/build-browser.ts';
import { EnsignClient } from '../packages/client/src/index.ts';
import { SDK_STYLE_YAML } from '../packages/core/test/datasets/sdk-style.ts';
import { startEnsign, waitFor } from '../packages/server/test/stream/harness.ts';
import { formatRate, median, round } from './lib/measure.ts';
import { option } from './lib/options.ts';

const REQUIRED_VS_SERVER = 1000;
const REQUIRED_VS_FLIPT = 20;
const rounds = option('--rounds', 5);
const seconds = option('--seconds', 0.5);
const requests = option('--requests', 2000);
const changes = option('--changes', 100);

const FEATURES = SDK_STYLE_YAML;
// The case Flipt's own client-side benchmark measures: one rule on segment1, 100% variant1.
const input = { flagKey: 'flag1', entityId: 'someentity', context: { fizz: 'buzz' } };

const percentile = (sorted: readonly number[], p: number): number =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
const us = (seconds: number) => `${(seconds * 1e6).toFixed(3)} µs`;

const server = await startEnsign({ 'features.yml': FEATURES });
try {
  const ensign = await EnsignClient.init({ url: server.url });
  const flipt = await FliptWasmClient.init({ url: server.url });
  if (ensign.evaluateVariant(input).variantKey !== 'variant1') throw new Error('ensign: unexpected variant');
  if (flipt.evaluateVariant(input).variantKey !== 'variant1') throw new Error('flipt: unexpected variant');

  // 1. Per-call rates, rounds interleaved so drift hits all sides alike.
  const body = JSON.stringify(input);
  const url = `${server.url}/evaluate/v1/variant`;
  const headers = { 'content-type': 'application/json', connection: 'keep-alive' };
  const roundTrip = async () => {
    const response = await fetch(url, { method: 'POST', headers, body });
    const json = (await response.json()) as { variantKey?: string };
    if (json.variantKey !== 'variant1') throw new Error('server: unexpected variant');
  };
  for (let i = 0; i < 200; i++) await roundTrip(); // warm-up: JIT, sockets
  const inProcess: number[] = [];
  const wasm: number[] = [];
  const remote: number[] = [];
  for (let r = 0; r < rounds; r++) {
    inProcess.push(round(() => ensign.evaluateVariant(input), seconds).perSecond);
    wasm.push(round(() => flipt.evaluateVariant(input), seconds, 100).perSecond);
    const start = performance.now();
    for (let i = 0; i < requests; i++) await roundTrip();
    remote.push(requests / ((performance.now() - start) / 1000));
  }
  const [ens, fl, srv] = [median(inProcess), median(wasm), median(remote)];
  console.log(`evaluateVariant flag1/someentity/{fizz: buzz}, median of ${rounds} rounds`);
  console.log(`  @ensign/client in process     ${formatRate(ens).padStart(14)}  (${us(1 / ens)} per call)`);
  console.log(`  @flipt-io/flipt-client-js     ${formatRate(fl).padStart(14)}  (${us(1 / fl)} per call)`);
  console.log(
    `  POST /evaluate/v1/variant     ${formatRate(srv).padStart(14)}  (${us(1 / srv)} per round trip)`,
  );
  const vsServer = ens / srv;
  const vsFlipt = ens / fl;
  console.log(
    `  ratio vs server round trip    ${Math.round(vsServer).toLocaleString('en-US')}x (required ≥${REQUIRED_VS_SERVER}x)`,
  );
  console.log(`  ratio vs flipt-client-js      ${vsFlipt.toFixed(1)}x (required ≥${REQUIRED_VS_FLIPT}x)`);
  flipt.close?.();

  // 2. Change → client over SSE. Timestamps: the source swapping in the new snapshot (server
  //    side, same process) and the file write, each to the client's change callback.
  await waitFor(() => ensign.streaming, 'stream connected');
  let swappedAt = 0;
  server.source.onChange(() => {
    swappedAt = performance.now();
  });
  const fromSwap: number[] = [];
  const fromWrite: number[] = [];
  for (let i = 0; i < changes; i++) {
    const seen = new Promise<number>((resolve) => {
      const off = ensign.onChange(() => {
        off();
        resolve(performance.now());
      });
    });
    const writtenAt = performance.now();
    server.write('features.yml', FEATURES.replace('flag description', `flag description ${i}`));
    void server.reload();
    const at = await seen;
    fromSwap.push(at - swappedAt);
    fromWrite.push(at - writtenAt);
  }
  fromSwap.sort((a, b) => a - b);
  fromWrite.sort((a, b) => a - b);
  const ms = (v: number) => `${v.toFixed(2)} ms`;
  console.log(`change → client over SSE, ${changes} changes`);
  console.log(
    `  snapshot swap → client   p50 ${ms(percentile(fromSwap, 50))}  p99 ${ms(percentile(fromSwap, 99))}`,
  );
  console.log(
    `  file write → client      p50 ${ms(percentile(fromWrite, 50))}  p99 ${ms(percentile(fromWrite, 99))}`,
  );
  ensign.close();

  // 3. The browser entry's size.
  const bundle = await buildBrowserBundle();
  const kb = (n: number) => `${(n / 1024).toFixed(1)} KB`;
  console.log(
    `browser bundle (dist/ensign-client.min.js)  minified ${kb(bundle.bytes)}  gzipped ${kb(bundle.gzipBytes)} (goal < 15 KB)`,
  );

  if (vsServer < REQUIRED_VS_SERVER || vsFlipt < REQUIRED_VS_FLIPT) process.exitCode = 1;
} finally {
  await server.close();
}
