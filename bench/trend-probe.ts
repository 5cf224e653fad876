import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../packages/server/src/observability/logger.ts';
import { createDatabaseSource } from '../packages/server/src/storage/database/index.ts';
const logger = silentLogger();
const dir = mkdtempSync(join(tmpdir(), 'probe-'));
const source = createDatabaseSource({ url: `file:${join(dir, 'f.db')}`, watch: false }, logger);
await source.start();
const N = Number(process.argv[2] ?? 3000);
const times: number[] = [];
for (let i = 0; i < N; i++) {
  const t = performance.now();
  await source.store.createFlag({ namespaceKey: 'default', key: `f_${i}`, name: 't', description: '', enabled: true, type: 'BOOLEAN_FLAG_TYPE' });
  times.push(performance.now() - t);
}
const med = (a: number[]) => [...a].sort((x, y) => x - y)[a.length >> 1]!;
for (let k = 0; k < N; k += 500) console.log(k, med(times.slice(k, k + 500)).toFixed(2));
await source.close();
