// Timing helpers for the benchmarks: time-boxed rounds, medians and ratios.

export interface RoundResult {
  operations: number;
  seconds: number;
  perSecond: number;
}

/** Keeps results reachable so the JIT cannot drop the calls being measured. */
let sink: unknown;
export function consume(value: unknown): void {
  sink = value;
}
export function lastConsumed(): unknown {
  return sink;
}

/**
 * Calls `operation` in batches until `minSeconds` have passed and reports the rate. Batches keep
 * the clock out of the measured loop.
 */
export function round(operation: () => unknown, minSeconds: number, batch = 1000): RoundResult {
  let operations = 0;
  const start = performance.now();
  let elapsed = 0;
  do {
    for (let i = 0; i < batch; i++) consume(operation());
    operations += batch;
    elapsed = (performance.now() - start) / 1000;
  } while (elapsed < minSeconds);
  return { operations, seconds: elapsed, perSecond: operations / elapsed };
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

export function formatRate(perSecond: number): string {
  return `${Math.round(perSecond).toLocaleString('en-US')}/s`;
}

/** Least-squares change of `values` per step, over the values in order. */
export function slope(values: readonly number[]): number {
  const n = values.length;
  const meanX = (n - 1) / 2;
  const meanY = values.reduce((sum, v) => sum + v, 0) / n;
  let num = 0;
  let den = 0;
  values.forEach((v, x) => {
    num += (x - meanX) * (v - meanY);
    den += (x - meanX) ** 2;
  });
  return num / den;
}
