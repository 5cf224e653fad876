// Does a write get slower as its namespace grows? Creates flags one by one in the empty
// `default` namespace of a fresh SQLite file, through a live database source (each write
// includes the snapshot update that makes it visible), and prints the median write time of each
// block of writes and the least-squares slope over all of them. Flat medians and a slope near
// zero mean a write's cost does not grow with the namespace (issue 12).
// Run: npx node bench/write-trend.ts [--writes 3000] [--block 500]

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../packages/server/src/observability/logger.ts';
import { createDatabaseSource } from '../packages/server/src/storage/database/index.ts';
import { median, slope } from './lib/measure.ts';
import { option } from './lib/options.ts';

const WRITES = option('--writes', 3000);
const BLOCK = option('--block', 500);

const dir = mkdtempSync(join(tmpdir(), 'ensign-write-trend-'));
const source = createDatabaseSource({ url: `file:${join(dir, 'trend.db')}`, watch: false }, silentLogger());
try {
  await source.start();
  const times: number[] = [];
  for (let i = 0; i < WRITES; i++) {
    const start = performance.now();
    await source.store.createFlag({
      namespaceKey: 'default',
      key: `flag_${i}`,
      name: 't',
      description: '',
      enabled: true,
      type: 'BOOLEAN_FLAG_TYPE',
    });
    times.push(performance.now() - start);
  }
  console.log(`| flags before the write | median write |`);
  console.log(`| ---------------------- | -----------: |`);
  for (let from = 0; from < WRITES; from += BLOCK)
    console.log(
      `| ${`${from}–${Math.min(from + BLOCK, WRITES) - 1}`.padEnd(22)} | ${median(
        times.slice(from, from + BLOCK),
      )
        .toFixed(2)
        .padStart(9)} ms |`,
    );
  console.log(
    `\nfirst 100 ${median(times.slice(0, 100)).toFixed(2)} ms, last 100 ${median(times.slice(-100)).toFixed(2)} ms, ` +
      `slope ${(slope(times) * 1000).toFixed(3)} ms per 1,000 writes, i.e. µs more per flag already there`,
  );
} finally {
  await source.close();
  rmSync(dir, { recursive: true, force: true });
}
