// Loaded into a server under test with `node --import`: measures, between two SIGUSR2 signals,
// how late the server's event loop ran (perf_hooks' event-loop delay histogram, 1 ms
// resolution) and every garbage collection pause, and writes them as JSON to the file named by
// ENSIGN_BENCH_PROBE_OUT. The server's own code is untouched, so Ensign and the bare server are
// observed the same way.

import { writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';

const out = process.env['ENSIGN_BENCH_PROBE_OUT'];
const delay = monitorEventLoopDelay({ resolution: 1 });
let pauses: Array<{ kind: number; ms: number }> = [];
let measuring = false;
new PerformanceObserver((list) => {
  if (!measuring) return;
  for (const entry of list.getEntries()) {
    const detail = (entry as unknown as { detail?: { kind?: number } }).detail;
    pauses.push({ kind: detail?.kind ?? 0, ms: entry.duration });
  }
}).observe({ entryTypes: ['gc'] });

process.on('SIGUSR2', () => {
  if (!measuring) {
    pauses = [];
    delay.reset();
    delay.enable();
    measuring = true;
    return;
  }
  measuring = false;
  delay.disable();
  const ms = (ns: number) => ns / 1e6;
  if (out) {
    writeFileSync(
      out,
      JSON.stringify({
        delayP50Ms: ms(delay.percentile(50)),
        delayP99Ms: ms(delay.percentile(99)),
        delayMaxMs: ms(delay.max),
        pauses,
      }),
    );
  }
});
