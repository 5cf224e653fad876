import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import type { RunningServer } from '../../src/run.ts';
import { mysqlServerEngine, postgresEngine } from '../database/engines.ts';
import { FaultProxy } from './fault-proxy.ts';
import {
  call,
  createFlag,
  evaluate,
  serve,
  storageState,
  tempSnapshotPath,
  throughProxy,
  until,
  upstreamOf,
} from './harness.ts';

// A replica starts while its database is unreachable. With a snapshot saved by an earlier run it
// serves those flags, degraded; without one it answers 503 in Flipt's error shape. Either way it
// recovers once the database is back, with no restart: migrations run then if they had not.

/** grpc.health.v1.Health/Check over Connect JSON on the gRPC port. */
async function grpcHealth(server: RunningServer): Promise<string> {
  const res = await fetch(`http://127.0.0.1:${server.grpcPort}/grpc.health.v1.Health/Check`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: '{}',
  });
  return ((await res.json()) as { status: string }).status;
}

for (const engine of [await postgresEngine(), await mysqlServerEngine()]) {
  describe(`start during a database outage on ${engine.name}`, { skip: engine.skip }, () => {
    const cleanup: (() => Promise<unknown>)[] = [];
    after(async () => {
      for (const step of cleanup.reverse()) await step().catch(() => {});
    });

    test('without a saved snapshot: 503 until the database is back, then migrates and serves', async () => {
      const database = await engine.create();
      cleanup.push(() => database.drop());
      const proxy = await FaultProxy.start(upstreamOf(database.url));
      cleanup.push(() => proxy.close());
      await proxy.set('refuse');
      const snapshotPath = tempSnapshotPath();

      const server: RunningServer = await serve(throughProxy(database.url, proxy.port), snapshotPath);
      cleanup.push(() => server.close());
      const health = await call(server.url, 'GET', '/health');
      assert.equal(health.status, 503);
      assert.equal(health.body['status'], 'NOT_SERVING');
      const evaluation = await evaluate(server.url, 'any');
      assert.equal(evaluation.status, 503);
      assert.equal(evaluation.body['code'], 14);
      assert.match(String(evaluation.body['message']), /no flags loaded yet/);
      assert.deepEqual(evaluation.body['details'], []);
      const write = await createFlag(server.url, 'early');
      assert.equal(write.status, 503);
      assert.ok(write.ms < 1000, `refused in ${write.ms} ms`);
      assert.equal((await fetch(`${server.url}/metrics`)).status, 200, 'metrics still answer');
      assert.equal(await grpcHealth(server), 'NOT_SERVING');

      await proxy.set('pass');
      await until(async () => (await storageState(server.url)).state === 'ok', 'recovery', 10_000);
      assert.equal((await createFlag(server.url, 'late')).status, 200, 'the schema was migrated after all');
      assert.equal((await evaluate(server.url, 'late')).body['enabled'], true);
      assert.equal(await grpcHealth(server), 'SERVING');
      await until(() => existsSync(snapshotPath), 'the snapshot to be saved', 5000);
    });

    test('with a saved snapshot: serves it degraded, refuses writes, then recovers', async () => {
      const database = await engine.create();
      cleanup.push(() => database.drop());
      const proxy = await FaultProxy.start(upstreamOf(database.url));
      cleanup.push(() => proxy.close());
      const url = throughProxy(database.url, proxy.port);
      const snapshotPath = tempSnapshotPath();

      const first = await serve(url, snapshotPath);
      assert.equal((await createFlag(first.url, 'kept')).status, 200);
      await first.close();
      assert.ok(existsSync(snapshotPath), 'the first replica saved its snapshot');

      await proxy.set('refuse');
      const second = await serve(url, snapshotPath);
      cleanup.push(() => second.close());
      const health = await storageState(second.url);
      assert.deepEqual(health, { status: 200, state: 'degraded' });
      const evaluation = await evaluate(second.url, 'kept');
      assert.equal(evaluation.status, 200);
      assert.equal(evaluation.body['enabled'], true);
      const write = await createFlag(second.url, 'refused');
      assert.equal(write.status, 503);
      assert.equal(write.body['code'], 14);

      await proxy.set('pass');
      await until(async () => (await storageState(second.url)).state === 'ok', 'recovery', 10_000);
      assert.equal((await createFlag(second.url, 'after')).status, 200);
      assert.equal((await evaluate(second.url, 'after')).body['enabled'], true);
      assert.equal((await evaluate(second.url, 'kept')).body['enabled'], true);
    });
  });
}
