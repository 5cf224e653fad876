// CPU of one flag update in a 1,000-flag SQLite namespace, in process: the store's transaction
// plus the reload that makes it visible (no HTTP). This tree and a baseline commit take turns,
// round by round, each on its own copy of the same seeded database file, through a live database
// source; medians of the rounds and their ratio. bench/write-starvation.ts measures the same
// writes through the server, where the HTTP layer adds to each.
// Run: npx node bench/write-cost.ts [--rounds 5] [--updates 400] [--baseline 6e941f2]

import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { silentLogger } from '../packages/server/src/observability/logger.ts';
import {
  connect,
  createDatabaseStore,
  type DatabaseSource,
  importFeatures,
  migrate,
} from '../packages/server/src/storage/database/index.ts';
import { baselineTree } from './lib/baseline-tree.ts';
import { median } from './lib/measure.ts';
import { option } from './lib/options.ts';
import { writesNamespace } from './lib/writes-namespace.ts';

const ROUNDS = option('--rounds', 5);
const UPDATES = option('--updates', 400);
const FLAGS = 1000;
const args = process.argv.slice(2);
const BASELINE = args.includes('--baseline') ? args[args.indexOf('--baseline') + 1]! : '6e941f2';
const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface Tree {
  name: string;
  createDatabaseSource: (options: { url: string; watch: boolean }, logger: unknown) => DatabaseSource;
  cpuPerUpdate: number[];
  wallPerUpdate: number[];
}

async function treeAt(name: string, root: string): Promise<Tree> {
  const module = await import(
    pathToFileURL(join(root, 'packages/server/src/storage/database/index.ts')).href
  );
  return { name, createDatabaseSource: module.createDatabaseSource, cpuPerUpdate: [], wallPerUpdate: [] };
}

const work = mkdtempSync(join(tmpdir(), 'ensign-bench-write-cost-'));
try {
  const seeded = join(work, 'seeded.db');
  const connection = connect({ url: `file:${seeded}` }, silentLogger());
  await migrate(connection);
  await importFeatures(connection, createDatabaseStore(connection), [
    { path: 'writes.yaml', content: writesNamespace(FLAGS) },
  ]);
  await connection.db.destroy();

  const trees = [
    await treeAt('this tree', ROOT),
    await treeAt(`baseline ${BASELINE}`, baselineTree(ROOT, BASELINE, work)),
  ];
  let counter = 0;
  for (let round = 0; round < ROUNDS; round++) {
    for (const [i, tree] of trees.entries()) {
      const file = join(work, `round-${round}-${i}.db`);
      copyFileSync(seeded, file);
      const source = tree.createDatabaseSource({ url: `file:${file}`, watch: false }, silentLogger());
      await source.start();
      // The first updates prepare statements and warm the code: not counted.
      for (let n = 0; n < 50; n++) await update(source);
      const cpu = process.cpuUsage();
      const started = performance.now();
      for (let n = 0; n < UPDATES; n++) await update(source);
      const used = process.cpuUsage(cpu);
      tree.wallPerUpdate.push((performance.now() - started) / UPDATES);
      tree.cpuPerUpdate.push((used.user + used.system) / 1000 / UPDATES);
      await source.close();
    }
  }

  async function update(source: DatabaseSource): Promise<void> {
    const key = `w${String((counter * 7919) % FLAGS).padStart(4, '0')}`;
    await source.store.updateFlag({
      namespaceKey: 'writes',
      key,
      name: key,
      description: `update ${counter++}`,
      enabled: true,
      defaultVariantId: '',
    });
  }

  console.log(
    `Node ${process.version}, ${ROUNDS} rounds of ${UPDATES} updates in a ${FLAGS}-flag SQLite namespace, medians`,
  );
  console.log('| code | CPU per update | wall per update |');
  console.log('| ---- | -------------: | --------------: |');
  for (const tree of trees)
    console.log(
      `| ${tree.name} | ${median(tree.cpuPerUpdate).toFixed(2)} ms | ${median(tree.wallPerUpdate).toFixed(2)} ms |`,
    );
  const [now, base] = trees as [Tree, Tree];
  console.log(
    `this tree / baseline: CPU ${(median(now.cpuPerUpdate) / median(base.cpuPerUpdate)).toFixed(2)}x, ` +
      `wall ${(median(now.wallPerUpdate) / median(base.wallPerUpdate)).toFixed(2)}x`,
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}
