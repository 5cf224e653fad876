import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { type AuthServer, BOOTSTRAP, bearer, connectCall, startAuthServer } from './harness.ts';
import { Receiver, until } from './receiver.ts';

// Audit with a real HTTP receiver: every write arrives once, in Flipt's event shape, signed;
// with the receiver down, writes still succeed at once and the events arrive when it comes back;
// past max_backoff_duration they are counted as dropped.

const SECRET = 'audit-secret';

const receiver = new Receiver();
const dir = mkdtempSync(join(tmpdir(), 'ensign-audit-'));
const logFile = join(dir, 'audit.log');
let s: AuthServer;

before(async () => {
  await receiver.start();
  s = await startAuthServer({
    audit: {
      sinks: {
        log: { enabled: true, file: logFile },
        webhook: {
          enabled: true,
          url: `http://127.0.0.1:${receiver.port}/hook`,
          signing_secret: SECRET,
          max_backoff_duration: '10s',
        },
      },
      buffer: { capacity: 2, flush_period: '100ms' },
    },
  });
});
after(async () => {
  await s.close();
  await receiver.stop();
  rmSync(dir, { recursive: true, force: true });
});

function write(method: string, path: string, body?: unknown) {
  return fetch(`${s.url}${path}`, {
    method,
    headers: { ...bearer(BOOTSTRAP), 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
}

describe('audit events', () => {
  it('reach the webhook signed, in Flipt shape, once per write, from REST and gRPC', async () => {
    // The harness's own writes first: a namespace, four flags, two variants.
    await until(() => receiver.received.length >= 7);
    const seeded = receiver.received.length;
    assert.equal(
      (await write('POST', '/api/v1/namespaces/team/flags', { key: 'audited', name: 'A' })).status,
      200,
    );
    assert.equal((await write('PUT', '/api/v1/namespaces/team/flags/audited', { name: 'B' })).status, 200);
    const grpc = await connectCall(
      s.grpcUrl,
      '/flipt.Flipt/DeleteFlag',
      { namespaceKey: 'team', key: 'audited' },
      bearer(BOOTSTRAP),
    );
    assert.equal(grpc.status, 200);
    await s.mint({ name: 'audited-token' });
    await until(() => receiver.received.length >= seeded + 4);
    for (const r of receiver.received) {
      assert.equal(r.signature, createHmac('sha256', SECRET).update(r.body).digest('hex'));
    }
    const events = receiver.events().slice(seeded);
    assert.deepEqual(
      events.map((e) => `${e.type}:${e.action}`),
      ['flag:created', 'flag:updated', 'flag:deleted', 'token:created'],
    );
    const created = events[0]!;
    assert.equal(created.version, '0.2');
    assert.equal(created.status, 'success');
    assert.deepEqual(created.metadata, { actor: { authentication: 'token', ip: '127.0.0.1' } });
    assert.equal(created.payload.key, 'audited');
    assert.equal(created.payload.namespaceKey, 'team');
    assert.ok(!Number.isNaN(Date.parse(created.timestamp)));
    // The harness seeded namespace, flags and variants: all recorded too.
    assert.ok(receiver.events().some((e) => e.type === 'namespace' && e.action === 'created'));
    assert.ok(receiver.events().some((e) => e.type === 'variant' && e.action === 'created'));

    const logged = readFileSync(logFile, 'utf8')
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line));
    assert.deepEqual(
      logged.map((e) => `${e.type}:${e.action}`),
      receiver.events().map((e) => `${e.type}:${e.action}`),
    );
  });

  it('never hold a write back while the receiver is down, and arrive once it is back', async () => {
    const port = receiver.port;
    await receiver.stop();
    const before = receiver.received.length;
    for (const key of ['down1', 'down2', 'down3']) {
      const start = performance.now();
      assert.equal((await write('POST', '/api/v1/namespaces/team/flags', { key, name: key })).status, 200);
      assert.ok(performance.now() - start < 1000, 'a write waited for the audit sink');
    }
    await sleep(500);
    await receiver.start(port);
    await until(() => receiver.received.length >= before + 3, 8000);
    assert.deepEqual(
      receiver
        .events()
        .slice(before)
        .map((e) => e.payload.key),
      ['down1', 'down2', 'down3'],
    );
  });
});

describe('an unreachable webhook', () => {
  it('counts events as dropped after max_backoff_duration, without authentication too', async () => {
    const closed = new Receiver();
    await closed.start();
    const port = closed.port;
    await closed.stop();
    const other = await startAuthServer({
      authentication: { required: false, methods: { token: { enabled: false } } },
      audit: {
        sinks: {
          webhook: { enabled: true, url: `http://127.0.0.1:${port}/`, max_backoff_duration: '300ms' },
        },
        buffer: { capacity: 2, flush_period: '50ms' },
        events: ['flag:*'],
      },
    });
    try {
      const metric = async () => {
        const text = await (await fetch(`${other.url}/metrics`)).text();
        return Number(/ensign_audit_events_dropped_total\{sink="webhook"\} (\d+)/.exec(text)?.[1] ?? 0);
      };
      // The harness created a namespace, four flags and two variants; only flags are selected.
      let dropped = 0;
      for (let i = 0; i < 100 && dropped < 4; i++) {
        dropped = await metric();
        await sleep(50);
      }
      assert.equal(dropped, 4);
    } finally {
      await other.close();
    }
  });
});
