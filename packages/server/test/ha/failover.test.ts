import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { EnsignClient } from '@ensign/client';
import { type Engine, mysqlServerEngine, postgresEngine } from '../database/engines.ts';
import {
  type Balancer,
  freePort,
  haproxyPath,
  type Replica,
  replica,
  startHaproxy,
  waitUntil,
} from './cluster.ts';

// High availability under failure: three replicas of the built server on one database behind
// haproxy, a steady stream of evaluations and writes through the balancer, and one replica killed
// with SIGKILL mid-run and started again. Clients of the balancer must see no failed evaluation;
// every acknowledged write must be visible on every live replica within a second; the restarted
// replica must catch up; a client following the killed replica's change stream must reconnect
// and end at the current version.

const HAPROXY = haproxyPath();
// CI installs haproxy (scripts/test.sh), so its absence there is a failure, not a skip.
if (!HAPROXY && process.env['CI']) throw new Error('CI requires haproxy for the HA tests');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const json = { 'content-type': 'application/json' };

async function visibleBy(replica: Replica, key: string, deadline: number): Promise<boolean> {
  do {
    try {
      const res = await fetch(`${replica.url}/api/v1/namespaces/default/flags/${key}`, {
        signal: AbortSignal.timeout(500),
      });
      await res.arrayBuffer();
      if (res.ok) return true;
    } catch {}
    await sleep(20);
  } while (Date.now() < deadline);
  return false;
}

async function snapshotEtag(replica: Replica): Promise<string | null> {
  const res = await fetch(`${replica.url}/internal/v1/evaluation/snapshot/namespace/default`, {
    headers: { 'X-Flipt-Accept-Server-Version': '1.47.0' },
  });
  await res.arrayBuffer();
  return res.headers.get('etag');
}

async function failover(engine: Engine): Promise<void> {
  const database = await engine.create();
  const home = mkdtempSync(join(tmpdir(), 'ensign-ha-'));
  const replicas: Replica[] = [];
  for (const name of ['r1', 'r2', 'r3']) {
    replicas.push(replica(name, database.url, await freePort(), await freePort(), home));
  }
  const [first, victim] = replicas as [Replica, Replica, Replica];
  let balancer: Balancer | undefined;
  let client: EnsignClient | undefined;
  try {
    // The first replica migrates the database; the others start on the migrated schema.
    await first.start();
    await Promise.all(replicas.slice(1).map((r) => r.start()));
    balancer = await startHaproxy(HAPROXY!, replicas);
    const lb = balancer.url;
    const seed = await fetch(`${lb}/api/v1/namespaces/default/flags`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ key: 'ha-flag', name: 'HA flag', type: 'BOOLEAN_FLAG_TYPE', enabled: true }),
    });
    assert.equal(seed.status, 200, await seed.text());
    await waitUntil(
      'the seed flag on every replica',
      async () => {
        for (const r of replicas) if (!(await visibleBy(r, 'ha-flag', Date.now()))) return false;
        return true;
      },
      5000,
    );

    client = await EnsignClient.init({
      url: victim.url,
      namespace: 'default',
      reconnectDelayMs: { initial: 50, max: 300 },
    });

    let stop = false;
    let evaluations = 0;
    const evaluationFailures: string[] = [];
    const evaluate = async (worker: number) => {
      for (let i = 0; !stop; i++) {
        try {
          const res = await fetch(`${lb}/evaluate/v1/boolean`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ flagKey: 'ha-flag', entityId: `entity-${worker}-${i}` }),
            signal: AbortSignal.timeout(5000),
          });
          const body = await res.text();
          if (res.status === 200 && JSON.parse(body).enabled === true) evaluations++;
          else evaluationFailures.push(`${res.status} ${body}`);
        } catch (error) {
          evaluationFailures.push(String(error));
        }
      }
    };

    const acknowledged: string[] = [];
    const late: string[] = [];
    const visibilityChecks: Promise<void>[] = [];
    let refusedWrites = 0;
    const write = async () => {
      for (let i = 0; !stop; i++) {
        const key = `ha-write-${i}`;
        try {
          const res = await fetch(`${lb}/api/v1/namespaces/default/flags`, {
            method: 'POST',
            headers: json,
            body: JSON.stringify({ key, name: key, type: 'BOOLEAN_FLAG_TYPE', enabled: true }),
            signal: AbortSignal.timeout(5000),
          });
          await res.arrayBuffer();
          if (res.ok) {
            const deadline = Date.now() + 1000;
            acknowledged.push(key);
            visibilityChecks.push(
              (async () => {
                for (const r of replicas) {
                  if (!r.alive) continue;
                  // A replica killed while we looked is not a live replica.
                  if (!(await visibleBy(r, key, deadline)) && r.alive) late.push(`${key} on ${r.name}`);
                }
              })(),
            );
          } else {
            refusedWrites++;
          }
        } catch {
          refusedWrites++;
        }
        await sleep(40);
      }
    };

    const load = Promise.all([evaluate(1), evaluate(2), evaluate(3), write()]);
    await sleep(1500);
    await victim.kill();
    await sleep(1500);
    await victim.start();
    await sleep(1500);
    stop = true;
    await load;
    await Promise.all(visibilityChecks);

    assert.deepEqual(evaluationFailures, [], 'evaluations through the balancer never fail');
    assert.ok(evaluations > 50, `a steady stream of evaluations (${evaluations})`);
    assert.ok(
      acknowledged.length > 20,
      `a steady stream of writes (${acknowledged.length}, ${refusedWrites} refused)`,
    );
    assert.deepEqual(late, [], 'every acknowledged write is visible on every live replica within 1 s');

    // The restarted replica has every acknowledged write.
    const catchUp = Date.now() + 5000;
    for (const key of acknowledged)
      assert.ok(await visibleBy(victim, key, catchUp), `${key} on the restarted replica`);

    // The change-stream client of the killed replica reconnected and holds the current version.
    const current = await snapshotEtag(first);
    assert.ok(current);
    await waitUntil(
      `the stream client to reach ${current} (has ${client.etag})`,
      async () => client!.etag === current,
      5000,
    );
    assert.equal(await snapshotEtag(victim), current, 'replicas serving the same content give the same ETag');
  } finally {
    client?.close();
    await balancer?.close();
    await Promise.all(replicas.map((r) => r.stop()));
    await database.drop();
    rmSync(home, { recursive: true, force: true });
  }
}

describe('HA: three replicas behind haproxy, one killed and restarted', {
  skip: HAPROXY ? false : 'haproxy is not installed (scripts/test.sh installs it)',
}, () => {
  for (const make of [postgresEngine, mysqlServerEngine]) {
    test(`on ${make === postgresEngine ? 'PostgreSQL' : 'MariaDB/MySQL'}`, {
      timeout: 300_000,
    }, async (t) => {
      const engine = await make();
      if (engine.skip) return t.skip(engine.skip);
      await failover(engine);
    });
  }
});
