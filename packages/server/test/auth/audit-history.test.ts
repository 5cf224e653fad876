import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { AuditEvent } from '../../src/audit/event.ts';
import { createHistoryStore } from '../../src/audit/history-store.ts';
import { engineOf, parseDatabaseUrl } from '../../src/config/database-url.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { connect } from '../../src/storage/database/connect.ts';
import { migrate } from '../../src/storage/database/migrate.ts';
import { MIGRATIONS } from '../../src/storage/database/migrations/index.ts';
import { allEngines, type TestDatabase } from '../database/engines.ts';
import { type AuthServer, BOOTSTRAP, bearer, startAuthServer } from './harness.ts';

// Audit history (audit.sinks.database, an Ensign extension) on SQLite, PostgreSQL and
// MySQL/MariaDB: every write to a flag, its variants and rules (to a segment and its constraints)
// is kept in the database and read back newest first, page by page, behind the same gate as the
// flag (segment) itself; retention bounds it; events stored before segments had a history gain one.

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

/** An audit event as the auditor records a flag update. */
const flagUpdated = (namespaceKey: string, key: string, timestamp: string): AuditEvent => ({
  version: '0.2',
  type: 'flag',
  action: 'updated',
  metadata: { actor: { authentication: 'none', ip: '' } },
  payload: { key, namespaceKey },
  timestamp,
  status: 'success',
});

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
    const history = async (query = '', ns = 'default', key = 'color', token = BOOTSTRAP, kind = 'flags') => {
      const response = await call(
        'GET',
        `/api/v1/namespaces/${ns}/${kind}/${key}/history${query}`,
        undefined,
        token,
      );
      assert.equal(response.status, 200, await response.clone().text());
      return (await response.json()) as Page;
    };
    const settled = async (count: number, ns = 'default', key = 'color', kind = 'flags') => {
      for (let i = 0; i < 100; i++) {
        const page = await history('?limit=100', ns, key, BOOTSTRAP, kind);
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

    it("shows a segment's changes: its own and its constraints', not a flag's of the same key", async () => {
      const ok = async (method: string, path: string, body: unknown) =>
        assert.equal((await call(method, path, body)).status, 200, `${method} ${path}`);
      const segments = '/api/v1/namespaces/default/segments';
      await ok('POST', segments, { key: 'beta', name: 'Beta', matchType: 'ALL_MATCH_TYPE' });
      await ok('POST', `${segments}/beta/constraints`, {
        type: 'STRING_COMPARISON_TYPE',
        property: 'plan',
        operator: 'eq',
        value: 'pro',
      });
      await ok('PUT', `${segments}/beta`, { key: 'beta', name: 'Beta testers', matchType: 'ANY_MATCH_TYPE' });
      await ok('POST', '/api/v1/namespaces/default/flags', { key: 'beta', name: 'Beta', enabled: true });
      await ok('POST', '/api/v1/namespaces/team/segments', {
        key: 'beta',
        name: 'B',
        matchType: 'ALL_MATCH_TYPE',
      });
      const page = await settled(3, 'default', 'beta', 'segments');
      assert.deepEqual(
        page.events.map((e) => `${e.type}:${e.action}`),
        ['segment:updated', 'constraint:created', 'segment:created'],
      );
      assert.equal(page.events[0]!.payload['name'], 'Beta testers');
      assert.equal(page.events[1]!.payload['property'], 'plan');
      assert.deepEqual(
        (await settled(1, 'default', 'beta')).events.map((e) => `${e.type}:${e.action}`),
        ['flag:created'],
      );
      assert.equal((await settled(1, 'team', 'beta', 'segments')).events.length, 1);

      const paged = await history('?limit=2', 'default', 'beta', BOOTSTRAP, 'segments');
      assert.equal(paged.events.length, 2);
      const rest = await history(
        `?limit=2&pageToken=${encodeURIComponent(paged.nextPageToken)}`,
        'default',
        'beta',
        BOOTSTRAP,
        'segments',
      );
      assert.deepEqual(
        rest.events.map((e) => `${e.type}:${e.action}`),
        ['segment:created'],
      );

      const teamOnly = await s.mint({ namespaceKey: 'team' });
      const foreign = await call('GET', `${segments}/beta/history`, undefined, teamOnly);
      assert.equal(foreign.status, 401);
      assert.equal((await fetch(`${s.url}${segments}/beta/history`)).status, 401);
      assert.equal((await history('', 'team', 'beta', teamOnly, 'segments')).events.length, 1);
    });

    it('gives events stored before migration 5 their segment', async () => {
      const older = await engine.create();
      const connection = connect({ url: older.url }, silentLogger());
      try {
        const kind = engineOf(parseDatabaseUrl(older.url));
        const [five, ...earlier] = [...MIGRATIONS].reverse().filter((m) => m.version <= 5);
        for (const migration of earlier.reverse()) await migration.up(connection.db, kind);
        const row = (type: string, payload: unknown) => ({
          namespace_key: 'default',
          flag_key: null,
          type,
          action: 'created',
          actor: '{"authentication":"none"}',
          payload: JSON.stringify(payload),
          created_at: new Date().toISOString(),
        });
        await connection.db
          .insertInto('audit_events')
          // Written as version 4 knew the table: without segment_key.
          .values([
            row('segment', { namespaceKey: 'default', key: 'old' }),
            row('constraint', { namespaceKey: 'default', segmentKey: 'old', property: 'plan' }),
            row('flag', { namespaceKey: 'default', key: 'old' }),
          ] as never)
          .execute();
        await five!.up(connection.db, kind);
        const store = createHistoryStore(connection);
        const page = await store.history(
          'default',
          { kind: 'segment', key: 'old' },
          { limit: 0, pageToken: '' },
        );
        assert.deepEqual(
          page.events.map((e) => e.type),
          ['constraint', 'segment'],
        );
      } finally {
        await connection.db.destroy();
        await older.drop();
      }
    });

    it('keeps no more than max_events, and nothing older than the retention', async () => {
      const connection = connect({ url: database.url }, silentLogger());
      const store = createHistoryStore(connection);
      try {
        await migrate(connection);
        const event = (key: string, timestamp: string) => flagUpdated('retention', key, timestamp);
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
        const kept = await store.history(
          'retention',
          { kind: 'flag', key: 'a' },
          { limit: 10, pageToken: '' },
        );
        assert.equal(kept.events.length, 3);
      } finally {
        await store.close();
      }
    });
  });
}

describe('audit history on SQLite shared with another writer', () => {
  it('an event arriving while another connection holds the write lock waits for it, and is kept', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ensign-audit-lock-'));
    const url = `file:${join(dir, 'ensign.db')}`;
    const connection = connect({ url }, silentLogger());
    const store = createHistoryStore(connection);
    const other = new DatabaseSync(join(dir, 'ensign.db'), { timeout: 0 });
    try {
      await migrate(connection);
      other.exec('begin immediate');
      const appended = store.append([flagUpdated('default', 'locked', new Date().toISOString())]);
      await sleep(150);
      other.exec('commit');
      await appended;
      const kept = await store.history(
        'default',
        { kind: 'flag', key: 'locked' },
        { limit: 10, pageToken: '' },
      );
      assert.equal(kept.events.length, 1);
    } finally {
      other.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

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
