import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { RunningServer } from '../../src/run.ts';
import { mysqlServerEngine, postgresEngine, type TestDatabase } from '../database/engines.ts';
import { FaultProxy } from './fault-proxy.ts';
import {
  CONNECT_TIMEOUT_MS,
  createFlag,
  evaluate,
  Load,
  POLL_MS,
  QUERY_TIMEOUT_MS,
  serve,
  storageState,
  storedFlagKeys,
  tempSnapshotPath,
  throughProxy,
  until,
  upstreamOf,
} from './harness.ts';

// The database path breaks while the server evaluates and writes: every connection reset, a
// black hole (connections accepted, nothing answered), then refused connections. After each,
// the path is repaired. Throughout: the process stays up (an unhandled driver 'error' event would
// end this test process), every evaluation answers from memory, writes either succeed or fail
// within the timeouts with a 503 in Flipt's error shape, /health tells the truth, the server
// recovers by itself, and every acknowledged write is in the database at the end.

// The longest a write may take to be refused: waiting for a connection, then a statement that
// times out (its connection is dropped at once, so the rollback does not wait again), plus slack
// for a loaded machine.
const WRITE_BOUND_MS = CONNECT_TIMEOUT_MS + QUERY_TIMEOUT_MS + 2000;
// A poll (every POLL_MS) whose statement times out, plus slack.
const DEGRADED_BOUND_MS = POLL_MS + QUERY_TIMEOUT_MS + CONNECT_TIMEOUT_MS + 2500;
const RECOVERY_BOUND_MS = 10_000;

/** A stretch of fault-free traffic, so acknowledged writes exist before and after each fault. */
const healthyTraffic = () => new Promise((resolve) => setTimeout(resolve, 700));

for (const engine of [await postgresEngine(), await mysqlServerEngine()]) {
  describe(`database faults on ${engine.name}`, { skip: engine.skip }, () => {
    let database: TestDatabase;
    let proxy: FaultProxy;
    let server: RunningServer;
    let load: Load;
    // An unhandled driver 'error' event would end a real server; here it lands in this list.
    const crashes: unknown[] = [];
    const recordCrash = (error: unknown) => crashes.push(error);

    before(async () => {
      process.on('uncaughtException', recordCrash);
      database = await engine.create();
      proxy = await FaultProxy.start(upstreamOf(database.url));
      server = await serve(throughProxy(database.url, proxy.port), tempSnapshotPath());
      assert.equal((await createFlag(server.url, 'seed')).status, 200);
      load = new Load(server.url, 'seed');
      load.start();
      await healthyTraffic();
    });
    after(async () => {
      process.off('uncaughtException', recordCrash);
      await load?.stop();
      await server?.close();
      await proxy?.close();
      await database?.drop();
    });

    const settle = async (phase: string) => {
      await until(
        async () => (await storageState(server.url)).state === 'ok',
        `${phase}: recovery`,
        RECOVERY_BOUND_MS,
      );
      // Recovered means writable again, not only a green /health.
      const write = await createFlag(server.url, `after_${phase}`);
      assert.equal(
        write.status,
        200,
        `${phase}: a write after recovery succeeds: ${JSON.stringify(write.body)}`,
      );
      await healthyTraffic();
    };

    test('every connection reset mid-traffic', async () => {
      load.phase('reset');
      await new Promise((resolve) => setTimeout(resolve, 300));
      for (let i = 0; i < 3; i++) {
        proxy.reset();
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      await settle('reset');
      for (const refused of load.refusedIn('reset')) {
        assert.ok(refused.ms < WRITE_BOUND_MS, `a refused write answered in ${refused.ms} ms`);
      }
    });

    test('a write right after idle connections were cut takes a fresh one', async () => {
      load.phase('idle-cut');
      for (let i = 0; i < 5; i++) {
        // The pool's idle connections die; the next write must not be the one to find out.
        proxy.reset();
        const write = await createFlag(server.url, `after_cut_${i}`);
        assert.equal(write.status, 200, `write ${i} after a cut: ${JSON.stringify(write.body)}`);
      }
    });

    test('a black hole: accepted, never answered', async () => {
      load.phase('blackhole');
      await proxy.set('blackhole');
      const degradedAfter = await until(
        async () => (await storageState(server.url)).state === 'degraded',
        '/health to say degraded',
        DEGRADED_BOUND_MS,
      );
      assert.ok(degradedAfter < DEGRADED_BOUND_MS);
      const health = await storageState(server.url);
      assert.equal(health.status, 200, 'degraded still serves (the last snapshot)');
      // While the database is known to be gone, a write is refused at once.
      const write = await createFlag(server.url, 'during_blackhole');
      assert.equal(write.status, 503);
      assert.equal(write.body['code'], 14);
      assert.match(String(write.body['message']), /^database unavailable/);
      assert.ok(write.ms < 1000, `refused in ${write.ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, QUERY_TIMEOUT_MS));
      assert.equal((await evaluate(server.url, 'seed')).body['enabled'], true);
      await proxy.set('pass');
      await settle('blackhole');
      assert.ok(load.refusedIn('blackhole').length > 0, 'writes met the black hole');
      for (const refused of load.refusedIn('blackhole')) {
        assert.ok(refused.ms < WRITE_BOUND_MS, `a refused write answered in ${refused.ms} ms`);
      }
    });

    test('connections refused', async () => {
      load.phase('refuse');
      await proxy.set('refuse');
      await until(
        async () => (await storageState(server.url)).state === 'degraded',
        '/health to say degraded',
        DEGRADED_BOUND_MS,
      );
      const write = await createFlag(server.url, 'during_refusal');
      assert.equal(write.status, 503);
      assert.ok(write.ms < 1000, `refused in ${write.ms} ms`);
      await new Promise((resolve) => setTimeout(resolve, 500));
      await proxy.set('pass');
      await settle('refuse');
      for (const refused of load.refusedIn('refuse')) {
        assert.ok(refused.ms < WRITE_BOUND_MS, `a refused write answered in ${refused.ms} ms`);
      }
    });

    test('through it all: evaluation answered, writes answered, nothing acknowledged was lost', async () => {
      await load.stop();
      assert.deepEqual(crashes, [], 'no uncaught exception: the process would have stayed up');
      assert.deepEqual(load.evaluationFailures, [], 'every evaluation answered 200 from memory');
      const times = load.evaluationMs.sort((a, b) => a - b);
      assert.ok(times.length > 50, `evaluations ran (${times.length})`);
      // Evaluation never waits for the database: even the slowest answer came well before a
      // statement could time out (the machine running the suite may be busy, hence no tighter bound).
      const p95 = times[Math.floor(times.length * 0.95)]!;
      assert.ok(p95 < 500, `95% of evaluations within 500 ms (${p95.toFixed(0)} ms)`);
      assert.ok(
        times.at(-1)! < QUERY_TIMEOUT_MS + CONNECT_TIMEOUT_MS,
        `slowest evaluation ${times.at(-1)} ms`,
      );
      assert.deepEqual(load.unexpected, [], 'every write answered 200 or 503 in Flipt error shape');
      assert.ok(load.acknowledged.length > 3, `writes were acknowledged (${load.acknowledged.length})`);
      const stored = await storedFlagKeys(engine.name, database);
      const lost = load.acknowledged.filter((key) => !stored.has(key));
      assert.deepEqual(lost, [], 'acknowledged writes are in the database');
      for (const key of ['seed', 'after_reset', 'after_blackhole', 'after_refuse'])
        assert.ok(stored.has(key));
      // And the server serves what the database holds.
      for (const key of load.acknowledged.slice(-3)) {
        assert.equal((await evaluate(server.url, key)).body['enabled'], true, key);
      }
    });
  });
}
