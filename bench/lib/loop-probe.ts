// Loaded into a server under test with `node --import`: measures, between two SIGUSR2 signals,
// how late the server's event loop ran (perf_hooks' event-loop delay histogram, 1 ms
// resolution), every garbage collection pause, and the figures that do not depend on how busy
// the machine is: CPU time, bytes allocated on the JS heap (heap growth plus what each GC
// freed, from v8.GCProfiler) and, when `${ENSIGN_BENCH_PROBE_OUT}.async` exists as the window
// opens, the async resources created by type (timers, immediates, promises, ...). It writes them
// as JSON to the file named by ENSIGN_BENCH_PROBE_OUT. The server's own code is untouched, so
// Ensign and the bare server are observed the same way.

import { createHook } from 'node:async_hooks';
import { existsSync, writeFileSync } from 'node:fs';
import { monitorEventLoopDelay, PerformanceObserver } from 'node:perf_hooks';
import { GCProfiler, getHeapStatistics } from 'node:v8';

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

// Counting async resources enables V8's promise hooks, which slows promises down: only in the
// windows that ask for it, never in those whose CPU and allocation figures are read.
const asyncCounts = new Map<string, number>();
const asyncHook = createHook({
  init(_id, type) {
    asyncCounts.set(type, (asyncCounts.get(type) ?? 0) + 1);
  },
});

let profiler: GCProfiler | undefined;
let heapAtStart = 0;
let cpuAtStart = process.cpuUsage();
let countingAsync = false;

process.on('SIGUSR2', () => {
  if (!measuring) {
    pauses = [];
    asyncCounts.clear();
    countingAsync = out !== undefined && existsSync(`${out}.async`);
    if (countingAsync) asyncHook.enable();
    delay.reset();
    delay.enable();
    profiler = new GCProfiler();
    profiler.start();
    heapAtStart = getHeapStatistics().used_heap_size;
    cpuAtStart = process.cpuUsage();
    measuring = true;
    return;
  }
  const cpu = process.cpuUsage(cpuAtStart);
  const heapAtEnd = getHeapStatistics().used_heap_size;
  const gcs = profiler?.stop()?.statistics ?? [];
  if (countingAsync) asyncHook.disable();
  measuring = false;
  delay.disable();
  // Everything allocated in the window was either still on the heap at its end or freed by one
  // of its collections.
  let freed = 0;
  let gcMicros = 0;
  // What young-generation collections moved to the old generation: the garbage that makes the
  // next full mark-sweep (a pause proportional to the whole heap) come sooner.
  let promoted = 0;
  // Large objects (strings past ~128 KB, such as a feature file read whole) have their own space.
  const oldSpace = (spaces: Array<{ spaceName: string; spaceUsedSize: number }>) =>
    spaces
      .filter((space) => space.spaceName === 'old_space' || space.spaceName === 'large_object_space')
      .reduce((sum, space) => sum + space.spaceUsedSize, 0);
  for (const gc of gcs) {
    freed += gc.beforeGC.heapStatistics.usedHeapSize - gc.afterGC.heapStatistics.usedHeapSize;
    gcMicros += gc.cost;
    if (gc.gcType === 'Scavenge') {
      promoted += oldSpace(gc.afterGC.heapSpaceStatistics) - oldSpace(gc.beforeGC.heapSpaceStatistics);
    }
  }
  const ms = (ns: number) => ns / 1e6;
  if (out) {
    writeFileSync(
      out,
      JSON.stringify({
        delayP50Ms: ms(delay.percentile(50)),
        delayP99Ms: ms(delay.percentile(99)),
        delayMaxMs: ms(delay.max),
        pauses,
        cpuMicros: cpu.user + cpu.system,
        allocatedBytes: heapAtEnd - heapAtStart + freed,
        scavenges: gcs.filter((gc) => gc.gcType === 'Scavenge').length,
        markSweeps: gcs.filter((gc) => gc.gcType === 'MarkSweepCompact').length,
        gcMicros,
        promotedBytes: promoted,
        scavengeMicros: gcs.filter((gc) => gc.gcType === 'Scavenge').map((gc) => gc.cost),
        async: countingAsync ? Object.fromEntries(asyncCounts) : undefined,
      }),
    );
  }
});
