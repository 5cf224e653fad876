import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditEvent } from '../../src/audit/event.ts';
import { createHistoryStore } from '../../src/audit/history-store.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { connect } from '../../src/storage/database/connect.ts';
import { migrate } from '../../src/storage/database/migrate.ts';
import { allEngines, type TestDatabase } from '../database/engines.ts';
import { type AuthServer, BOOTSTRAP, bearer, startAuthServer } from './harness.ts';

// Audit history (audit.sinks.database, an Ensign extension) on SQLite, PostgreSQL and
// MySQL/MariaDB: every write to a flag, its variants and rules is kept in the database and read
// back newest first, page by page, behind the same gate as the flag itself; retention bounds it.

interface Page {
  events: {
    id: string;
    type: string;
    action: string;
    actor: { authentication: string };
    payload: Record<string, unknown>;
    timestamp: string;
  }[];
  nextPageToken: string;
}

for (const engine of await allEngines()) {
  describe(`audit history on ${engine.name}`, { skip: engine.skip }, () => {
    let database: TestDatabase;
    let s: AuthServer;

    before(async () => {
      database = await engine.create();
      s = await startAuthServer({
        db: { url: database.url },
        audit: { sinks: { database: { enabled: true } } },
      });
    });
    after(async () => {
      await s?.close();
      await database?.drop();
    });

    const call = (method: string, path: string, body?: unknown, token = BOOTSTRAP) =>
      fetch(`${s.url}${path}`, {
        method,
        headers: { ...bearer(token), 'content-type': 'application/json' },
        ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      });
    const history = async (query = '', ns = 'default', key = 'color', token = BOOTSTRAP) => {
      const response = await call(
        'GET',
        `/api/v1/namespaces/${ns}/flags/${key}/history${query}`,
        undefined,
        token,
      );
      assert.equal(response.status, 200, await response.clone().text());
      return (await response.json()) as Page;
    };
    const settled = async (count: number, ns = 'default', key = 'color') => {
      for (let i = 0; i < 100; i++) {
        const page = await history('?limit=100', ns, key);
        if (page.events.length >= count) return page;
        await sleep(20);
      }
      assert.fail(`history of ${ns}/${key} never reached ${count} events`);
    };

    it("shows a flag's changes newest first: the flag's own and its variants', with the actor", async () => {
      assert.equal(
        (await call('PUT', '/api/v1/namespaces/default/flags/color', { name: 'Colour', enabled: false }))
          .status,
        200,
      );
      assert.equal(
        (await call('POST', '/api/v1/namespaces/default/flags/color/variants', { key: 'red' })).status,
        200,
      );
      const page = await settled(4);
      assert.deepEqual(
        page.events.map((e) => `${e.type}:${e.action}:${e.payload['key']}`),
        ['variant:created:red', 'flag:updated:color', 'variant:created:blue', 'flag:created:color'],
      );
      assert.ok(page.events.every((e) => e.actor.authentication === 'token'));
      assert.equal(page.events[1]!.payload['enabled'], false);
      assert.ok(Date.parse(page.events[0]!.timestamp) >= Date.parse(page.events[3]!.timestamp));
      assert.equal(page.nextPageToken, '');
      // Another flag, and the same key in another namespace, have their own histories.
      assert.deepEqual(
        (await settled(1, 'default', 'on')).events.map((e) => `${e.type}:${e.action}`),
        ['flag:created'],
      );
      assert.equal((await settled(2, 'team', 'color')).events.length, 2);
    });

    it('pages with limit and pageToken, and refuses a bad token', async () => {
      const first = await history('?limit=3');
      assert.equal(first.events.length, 3);
      assert.notEqual(first.nextPageToken, '');
      const second = await history(`?limit=3&pageToken=${encodeURIComponent(first.nextPageToken)}`);
      assert.deepEqual(
        second.events.map((e) => `${e.type}:${e.action}`),
        ['flag:created'],
      );
      assert.equal(second.nextPageToken, '');
      const bad = await call('GET', '/api/v1/namespaces/default/flags/color/history?pageToken=nope');
      assert.equal(bad.status, 400);
      assert.match(((await bad.json()) as { message: string }).message, /pageToken is not valid/);
    });

    it('answers only to callers who may read the flag', async () => {
      const anonymous = await fetch(`${s.url}/api/v1/namespaces/default/flags/color/history`);
      assert.equal(anonymous.status, 401);
      const teamOnly = await s.mint({ namespaceKey: 'team' });
      const foreign = await call(
        'GET',
        '/api/v1/namespaces/default/flags/color/history',
        undefined,
        teamOnly,
      );
      assert.equal(foreign.status, 401);
      assert.equal((await history('', 'team', 'color', teamOnly)).events.length, 2);
    });

    it('keeps no more than max_events, and nothing older than the retention', async () => {
      const connection = connect({ url: database.url }, silentLogger());
      const store = createHistoryStore(connection);
      try {
        await migrate(connection);
        const event = (key: string, timestamp: string): AuditEvent => ({
          version: '0.2',
          type: 'flag',
          action: 'updated',
          metadata: { actor: { authentication: 'none', ip: '' } },
          payload: { key, namespaceKey: 'retention' },
          timestamp,
          status: 'success',
        });
        const old = new Date(Date.now() - 3_600_000).toISOString();
        const now = new Date().toISOString();
        await store.append([
          event('a', old),
          event('a', old),
          ...Array.from({ length: 5 }, () => event('a', now)),
        ]);
        const total = async () =>
          Number(
            (
              await connection.db
                .selectFrom('audit_events')
                .select((eb) => eb.fn.countAll().as('n'))
                .executeTakeFirstOrThrow()
            ).n,
          );
        const before = await total();
        await store.prune(new Date(Date.now() - 60_000).toISOString(), 1_000_000);
        assert.equal(await total(), before - 2);
        await store.prune(new Date(0).toISOString(), 3);
        assert.equal(await total(), 3);
        const kept = await store.flagHistory('retention', 'a', { limit: 10, pageToken: '' });
        assert.equal(kept.events.length, 3);
      } finally {
        await store.close();
      }
    });
  });
}

describe('audit history off', () => {
  let s: AuthServer;
  before(async () => {
    s = await startAuthServer();
  });
  after(() => s?.close());
  it('has no history route', async () => {
    const response = await fetch(`${s.url}/api/v1/namespaces/default/flags/color/history`, {
      headers: bearer(BOOTSTRAP),
    });
    assert.equal(response.status, 404);
  });
});
