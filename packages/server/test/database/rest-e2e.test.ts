import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { crc32 } from 'node:zlib';
import { FliptClient as RestClient } from '@flipt-io/flipt';
import { FliptClient as EngineClient } from '@flipt-io/flipt-client-js';
import { loadConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type RunningServer, startServer } from '../../src/run.ts';
import type { Body } from '../http/support/static-source.ts';
import { allEngines, postgresEngine, type TestDatabase } from './engines.ts';

// The management API end to end, as a Flipt user drives it: the real server (startServer, HTTP
// on a real socket) over a real database, one test body per engine. Expected evaluations are
// computed from Flipt's bucketing rules with node's own CRC-32, not Ensign's.

const engines = await allEngines();

async function serve(url: string, pollIntervalMs = 300): Promise<RunningServer> {
  const { config } = loadConfig({ env: {} });
  config.server.host = '127.0.0.1';
  config.server.httpPort = 0;
  config.server.grpcPort = 0;
  config.storage.type = 'database';
  config.db.url = url;
  config.db.pollIntervalMs = pollIntervalMs;
  // Keep the saved snapshot out of the user's cache directory.
  config.db.snapshotPath = join(mkdtempSync(join(tmpdir(), 'ensign-snap-')), 'snapshot.json');
  return startServer(config, { logger: silentLogger(), shutdownGracePeriodMs: 1000 });
}

interface Reply {
  status: number;
  body: Body;
  headers: Headers;
}

function client(base: () => string) {
  const call = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
    const res = await fetch(`${base()}${path}`, {
      method,
      headers: { 'content-type': 'application/json', ...headers },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    const text = await res.text();
    return {
      status: res.status,
      body: text === '' ? undefined : JSON.parse(text),
      headers: res.headers,
    } as Reply;
  };
  /** A request that must succeed; returns the body. */
  const ok = async (method: string, path: string, body?: unknown): Promise<Body> => {
    const reply = await call(method, path, body);
    assert.equal(reply.status, 200, `${method} ${path}: ${JSON.stringify(reply.body)}`);
    return reply.body;
  };
  /** A request that must fail with Flipt's error shape, status and exact message. */
  const fails = async (
    method: string,
    path: string,
    body: unknown,
    status: number,
    message: string | RegExp,
  ) => {
    const reply = await call(method, path, body);
    assert.equal(reply.status, status, `${method} ${path}: ${JSON.stringify(reply.body)}`);
    assert.equal(reply.body.code, status === 404 ? 5 : status === 400 ? 3 : reply.body.code);
    if (typeof message === 'string') assert.equal(reply.body.message, message);
    else assert.match(reply.body.message, message);
    assert.deepEqual(reply.body.details, []);
  };
  return { call, ok, fails };
}

/** The first entity (entity-0, entity-1, …) whose bucket satisfies `wanted`. */
function entityWhere(bucketOf: (entity: string) => number, wanted: (bucket: number) => boolean): string {
  for (let i = 0; ; i++) if (wanted(bucketOf(`entity-${i}`))) return `entity-${i}`;
}
// Flipt: variant bucket crc32(flagKey + entityId) % 1000; threshold bucket crc32(entityId + flagKey) % 100.
const variantBucket = (flagKey: string) => (entity: string) => crc32(`${flagKey}${entity}`) % 1000;
const thresholdBucket = (flagKey: string) => (entity: string) => crc32(`${entity}${flagKey}`) % 100;

const NS = 'team';
const api = `/api/v1/namespaces/${NS}`;
const BETA = { plan: 'pro', age: '30' };

for (const engine of engines) {
  describe(`REST management API end to end on ${engine.name}`, { skip: engine.skip }, () => {
    let database: TestDatabase;
    let server: RunningServer;
    const { call, ok, fails } = client(() => server.url);
    const ids: Record<string, string> = {};

    const variant = (flagKey: string, entityId: string, context: Record<string, string>) =>
      ok('POST', '/evaluate/v1/variant', { namespaceKey: NS, flagKey, entityId, context });
    const boolean = (flagKey: string, entityId: string, context: Record<string, string>) =>
      ok('POST', '/evaluate/v1/boolean', { namespaceKey: NS, flagKey, entityId, context });

    before(async () => {
      database = await engine.create();
      server = await serve(database.url);
    });
    after(async () => {
      await server?.close();
      await database?.drop();
    });

    test('namespace: create, duplicate refused', async () => {
      const created = await ok('POST', '/api/v1/namespaces', { key: NS, name: 'Team', description: 'd' });
      assert.equal(created.key, NS);
      assert.equal(created.protected, false);
      await fails(
        'POST',
        '/api/v1/namespaces',
        { key: NS, name: 'x' },
        400,
        `namespace "${NS}" is not unique`,
      );
      await fails(
        'POST',
        '/api/v1/namespaces',
        { key: 'bad key', name: 'x' },
        400,
        'invalid field key: contains invalid characters',
      );
      await fails('DELETE', '/api/v1/namespaces/default', undefined, 400, 'namespace "default" is protected');
      const list = await ok('GET', '/api/v1/namespaces');
      assert.deepEqual(
        list.namespaces.map((n: Body) => n.key),
        ['default', NS],
      );
    });

    test('variant flag with variants: attachments compacted, duplicate keys refused', async () => {
      const flag = await ok('POST', `${api}/flags`, {
        key: 'color',
        name: 'Color',
        enabled: true,
        type: 'VARIANT_FLAG_TYPE',
      });
      assert.equal(flag.type, 'VARIANT_FLAG_TYPE');
      assert.equal(flag.namespaceKey, NS);
      assert.deepEqual(flag.variants, []);
      const red = await ok('POST', `${api}/flags/color/variants`, {
        key: 'red',
        name: 'Red',
        attachment: '{ "hex": "#f00" }',
      });
      assert.equal(red.attachment, '{"hex":"#f00"}');
      assert.equal(red.flagKey, 'color');
      const blue = await ok('POST', `${api}/flags/color/variants`, { key: 'blue', name: 'Blue' });
      ids['red'] = red.id;
      ids['blue'] = blue.id;
      await fails(
        'POST',
        `${api}/flags/color/variants`,
        { key: 'red' },
        400,
        `variant "red" is not unique for flag "${NS}/color"`,
      );
      const bad = await call('POST', `${api}/flags/color/variants`, { key: 'green', attachment: '{nope' });
      assert.equal(bad.status, 400);
      const got = await ok('GET', `${api}/flags/color`);
      assert.deepEqual(
        got.variants.map((v: Body) => v.key),
        ['red', 'blue'],
      );
    });

    test('segments and constraints, operators checked per type', async () => {
      const beta = await ok('POST', `${api}/segments`, {
        key: 'beta',
        name: 'Beta',
        matchType: 'ALL_MATCH_TYPE',
      });
      assert.equal(beta.matchType, 'ALL_MATCH_TYPE');
      await ok('POST', `${api}/segments/beta/constraints`, {
        type: 'STRING_COMPARISON_TYPE',
        property: 'plan',
        operator: 'EQ',
        value: 'pro',
      });
      const age = await ok('POST', `${api}/segments/beta/constraints`, {
        type: 'NUMBER_COMPARISON_TYPE',
        property: 'age',
        operator: 'gte',
        value: '18',
      });
      assert.equal(age.segmentKey, 'beta');
      const bad = await call('POST', `${api}/segments/beta/constraints`, {
        type: 'BOOLEAN_COMPARISON_TYPE',
        property: 'x',
        operator: 'eq',
        value: 'true',
      });
      assert.equal(bad.status, 400);
      const got = await ok('GET', `${api}/segments/beta`);
      assert.deepEqual(
        got.constraints.map((c: Body) => [c.property, c.operator]),
        [
          ['plan', 'eq'],
          ['age', 'gte'],
        ],
      );
      await ok('POST', `${api}/segments`, { key: 'everyone', name: 'Everyone', matchType: 'ANY_MATCH_TYPE' });
    });

    test('rule with 50/50 distributions evaluates by the CRC-32 bucket', async () => {
      const rule = await ok('POST', `${api}/flags/color/rules`, { segmentKey: 'beta', rank: 1 });
      ids['rule1'] = rule.id;
      assert.equal(rule.segmentKey, 'beta');
      await ok('POST', `${api}/flags/color/rules/${rule.id}/distributions`, {
        variantId: ids['red'],
        rollout: 50,
      });
      await ok('POST', `${api}/flags/color/rules/${rule.id}/distributions`, {
        variantId: ids['blue'],
        rollout: 50,
      });

      const low = entityWhere(variantBucket('color'), (b) => b < 500);
      const high = entityWhere(variantBucket('color'), (b) => b >= 500);
      const r = await variant('color', low, BETA);
      assert.equal(r.match, true);
      assert.equal(r.variantKey, 'red');
      assert.equal(r.variantAttachment, '{"hex":"#f00"}');
      assert.deepEqual(r.segmentKeys, ['beta']);
      assert.equal(r.reason, 'MATCH_EVALUATION_REASON');
      assert.equal((await variant('color', high, BETA)).variantKey, 'blue');
      const none = await variant('color', low, { plan: 'free', age: '30' });
      assert.equal(none.match, false);
      assert.equal(none.variantKey, '');
      assert.equal(none.reason, 'UNKNOWN_EVALUATION_REASON', 'no default variant yet (docs/evaluation.md)');
    });

    test('flag default variant: set, evaluated, unknown id refused', async () => {
      const updated = await ok('PUT', `${api}/flags/color`, {
        name: 'Color',
        enabled: true,
        defaultVariantId: ids['blue'],
      });
      assert.equal(updated.defaultVariant.key, 'blue');
      const r = await variant('color', 'anyone', { plan: 'free' });
      assert.equal(r.variantKey, 'blue');
      assert.equal(r.reason, 'DEFAULT_EVALUATION_REASON');
      await fails(
        'PUT',
        `${api}/flags/color`,
        { name: 'Color', enabled: true, defaultVariantId: 'nope' },
        400,
        `variant "nope" not found for flag "${NS}/color"`,
      );
      assert.equal(
        (await ok('GET', `${api}/flags/color`)).defaultVariant.key,
        'blue',
        'refused update left no trace',
      );
    });

    test('order rules changes which rule wins', async () => {
      const rule2 = await ok('POST', `${api}/flags/color/rules`, { segmentKey: 'everyone', rank: 2 });
      ids['rule2'] = rule2.id;
      await ok('POST', `${api}/flags/color/rules/${rule2.id}/distributions`, {
        variantId: ids['red'],
        rollout: 100,
      });
      const high = entityWhere(variantBucket('color'), (b) => b >= 500);
      assert.equal((await variant('color', high, BETA)).variantKey, 'blue', 'rule 1 (beta, 50/50) first');
      await ok('PUT', `${api}/flags/color/rules/order`, { ruleIds: [rule2.id, ids['rule1']] });
      const r = await variant('color', high, BETA);
      assert.equal(r.variantKey, 'red');
      assert.deepEqual(r.segmentKeys, ['everyone']);
      const rules = await ok('GET', `${api}/flags/color/rules`);
      assert.deepEqual(
        rules.rules.map((x: Body) => [x.id, x.rank]),
        [
          [rule2.id, 1],
          [ids['rule1'], 2],
        ],
      );
      assert.equal(rules.totalCount, 2);
    });

    test('boolean flag: segment and threshold rollouts, rank and type rules, ordering', async () => {
      const dark = await ok('POST', `${api}/flags`, {
        key: 'dark',
        name: 'Dark',
        enabled: false,
        type: 'BOOLEAN_FLAG_TYPE',
      });
      assert.equal(dark.type, 'BOOLEAN_FLAG_TYPE');
      const seg = await ok('POST', `${api}/flags/dark/rollouts`, {
        rank: 1,
        // Every field spelled out; the minimal bodies are tested below.
        segment: {
          segmentKey: 'beta',
          segmentKeys: [],
          segmentOperator: 'OR_SEGMENT_OPERATOR',
          value: false,
        },
      });
      assert.equal(seg.type, 'SEGMENT_ROLLOUT_TYPE');
      const thr = await ok('POST', `${api}/flags/dark/rollouts`, {
        rank: 2,
        threshold: { percentage: 50, value: true },
      });
      assert.equal(thr.type, 'THRESHOLD_ROLLOUT_TYPE');
      ids['seg'] = seg.id;
      ids['thr'] = thr.id;
      await fails(
        'POST',
        `${api}/flags/dark/rollouts`,
        { rank: 1, threshold: { percentage: 10, value: true } },
        400,
        'rank number: 1 already exists',
      );
      await fails(
        'PUT',
        `${api}/flags/dark/rollouts/${seg.id}`,
        { threshold: { percentage: 10, value: true } },
        400,
        'cannot change type of rollout: have "SEGMENT_ROLLOUT_TYPE" attempted "THRESHOLD_ROLLOUT_TYPE"',
      );
      const bad = await call('POST', `${api}/flags/dark/rollouts`, {
        rank: 3,
        threshold: { percentage: 101 },
      });
      assert.equal(bad.status, 400);

      const inside = entityWhere(thresholdBucket('dark'), (b) => b < 50);
      const outside = entityWhere(thresholdBucket('dark'), (b) => b >= 50);
      const s = await boolean('dark', inside, BETA);
      assert.equal(s.enabled, false);
      assert.equal(s.reason, 'MATCH_EVALUATION_REASON');
      assert.deepEqual(s.segmentKeys, ['beta']);
      const t = await boolean('dark', inside, {});
      assert.equal(t.enabled, true);
      assert.equal(t.reason, 'MATCH_EVALUATION_REASON');
      const d = await boolean('dark', outside, {});
      assert.equal(d.enabled, false);
      assert.equal(d.reason, 'DEFAULT_EVALUATION_REASON');

      await ok('PUT', `${api}/flags/dark/rollouts/order`, { rolloutIds: [thr.id, seg.id] });
      assert.equal((await boolean('dark', inside, BETA)).enabled, true, 'threshold now first');
      const listed = await ok('GET', `${api}/flags/dark/rollouts`);
      assert.deepEqual(
        listed.rules.map((x: Body) => [x.type, x.rank]),
        [
          ['THRESHOLD_ROLLOUT_TYPE', 1],
          ['SEGMENT_ROLLOUT_TYPE', 2],
        ],
      );
      // The wrong evaluation for the type.
      const wrong = await call('POST', '/evaluate/v1/variant', {
        namespaceKey: NS,
        flagKey: 'dark',
        entityId: 'e',
      });
      assert.equal(wrong.status, 400);
    });

    test('rollout bodies with only the segment fields a client sets', async () => {
      const one = await call('POST', `${api}/flags/dark/rollouts`, {
        rank: 10,
        segment: { segmentKey: 'everyone', value: true },
      });
      assert.equal(one.status, 200, JSON.stringify(one.body));
      assert.deepEqual(one.body.segment, {
        segmentKey: 'everyone',
        segmentKeys: [],
        segmentOperator: 'OR_SEGMENT_OPERATOR',
        value: true,
      });
      const two = await call('POST', `${api}/flags/dark/rollouts`, {
        rank: 11,
        segment: { segmentKeys: ['everyone', 'beta'], segmentOperator: 'AND_SEGMENT_OPERATOR', value: true },
      });
      assert.equal(two.status, 200, JSON.stringify(two.body));
      assert.deepEqual(two.body.segment.segmentKeys, ['everyone', 'beta']);
      for (const r of [one.body, two.body]) await ok('DELETE', `${api}/flags/dark/rollouts/${r.id}`);
    });

    test('listing pages in creation order until nextPageToken is ""', async () => {
      for (const key of ['zeta', 'alpha', 'mid'])
        await ok('POST', `${api}/flags`, { key, name: key, enabled: true });
      const keys: string[] = [];
      let token = '';
      let pages = 0;
      do {
        const page = await ok(
          'GET',
          `${api}/flags?limit=2${token ? `&pageToken=${encodeURIComponent(token)}` : ''}`,
        );
        assert.equal(page.totalCount, 5);
        assert.ok(page.flags.length <= 2);
        keys.push(...page.flags.map((f: Body) => f.key));
        token = page.nextPageToken;
        pages++;
      } while (token !== '' && pages < 10);
      assert.deepEqual(keys, ['color', 'dark', 'zeta', 'alpha', 'mid']);
      assert.equal(pages, 3);
      await fails(
        'GET',
        `${api}/flags?limit=2&pageToken=garbage`,
        undefined,
        400,
        'pageToken is not valid: "garbage"',
      );
    });

    test('client snapshot: new ETag after a write, 304 on the same ETag', async () => {
      const path = `/internal/v1/evaluation/snapshot/namespace/${NS}`;
      const first = await call('GET', path);
      assert.equal(first.status, 200);
      const etag = first.headers.get('etag');
      assert.ok(etag);
      assert.equal(first.body.flags.find((f: Body) => f.key === 'dark').enabled, false);
      const same = await call('GET', path, undefined, { 'if-none-match': etag });
      assert.equal(same.status, 304);
      assert.equal(same.headers.get('etag'), etag);

      await ok('PUT', `${api}/flags/dark`, { name: 'Dark', enabled: true });
      const changed = await call('GET', path, undefined, { 'if-none-match': etag });
      assert.equal(changed.status, 200);
      const next = changed.headers.get('etag');
      assert.ok(next);
      assert.notEqual(next, etag);
      assert.equal(changed.body.flags.find((f: Body) => f.key === 'dark').enabled, true);
      assert.equal((await call('GET', path, undefined, { 'if-none-match': next })).status, 304);
    });

    test("Flipt's own clients see the writes", async () => {
      const rest = new RestClient({ url: server.url });
      const high = entityWhere(variantBucket('color'), (b) => b >= 500);
      const r = await rest.evaluation.variant({
        namespaceKey: NS,
        flagKey: 'color',
        entityId: high,
        context: BETA,
      });
      assert.equal(r.variantKey, 'red');
      assert.equal(r.reason, 'MATCH_EVALUATION_REASON');

      const engineClient = await EngineClient.init({ url: server.url, namespace: NS });
      try {
        assert.equal(
          engineClient.evaluateVariant({ flagKey: 'color', entityId: high, context: BETA }).variantKey,
          'red',
        );
        assert.equal(await engineClient.refresh(), false, 'nothing changed yet');
        await ok('PUT', `${api}/flags/color/rules/order`, { ruleIds: [ids['rule1'], ids['rule2']] });
        assert.equal(await engineClient.refresh(), true, 'the write is a new snapshot');
        assert.equal(
          engineClient.evaluateVariant({ flagKey: 'color', entityId: high, context: BETA }).variantKey,
          'blue',
        );
        assert.equal(await engineClient.refresh(), false, 'and nothing since');
      } finally {
        engineClient.close();
      }
    });

    test('deletes: in-use segment and non-empty namespace refused, then everything goes', async () => {
      await fails('DELETE', `${api}/segments/beta`, undefined, 400, `segment "${NS}/beta" is in use`);
      await fails(
        'DELETE',
        `/api/v1/namespaces/${NS}`,
        undefined,
        400,
        `namespace "${NS}" cannot be deleted; flags must be deleted first`,
      );
      // Deleting the default variant clears it from the flag.
      await ok('DELETE', `${api}/flags/color/variants/${ids['blue']}`);
      assert.equal((await ok('GET', `${api}/flags/color`)).defaultVariant, undefined);

      await ok('DELETE', `${api}/flags/color/rules/${ids['rule1']}`);
      const rules = await ok('GET', `${api}/flags/color/rules`);
      assert.deepEqual(
        rules.rules.map((x: Body) => [x.id, x.rank]),
        [[ids['rule2'], 1]],
      );
      await ok('DELETE', `${api}/flags/dark/rollouts/${ids['seg']}`);
      await ok('DELETE', `${api}/segments/beta`);
      await fails('GET', `${api}/segments/beta`, undefined, 404, `segment "${NS}/beta" not found`);

      for (const key of ['color', 'dark', 'zeta', 'alpha', 'mid']) await ok('DELETE', `${api}/flags/${key}`);
      await fails('GET', `${api}/flags/color`, undefined, 404, `flag "${NS}/color" not found`);
      const gone = await call('POST', '/evaluate/v1/variant', {
        namespaceKey: NS,
        flagKey: 'color',
        entityId: 'e',
      });
      assert.equal(gone.status, 404);
      assert.equal(gone.body.message, `flag "${NS}/color" not found`);

      await ok('DELETE', `/api/v1/namespaces/${NS}`);
      assert.deepEqual(
        (await ok('GET', '/api/v1/namespaces')).namespaces.map((n: Body) => n.key),
        ['default'],
      );
    });
  });
}

const postgres = await postgresEngine();

describe('two replicas on one PostgreSQL database', { skip: postgres.skip }, () => {
  let database: TestDatabase;
  let a: RunningServer;
  let b: RunningServer;
  const A = client(() => a.url);
  const B = client(() => b.url);

  before(async () => {
    database = await postgres.create();
    a = await serve(database.url);
    b = await serve(database.url);
  });
  after(async () => {
    await Promise.all([a?.close(), b?.close()]);
    await database?.drop();
  });

  /** Writes through `writer`, then polls `reader` until `seen` holds; milliseconds from the write's reply. */
  async function convergence(
    write: () => Promise<unknown>,
    seen: () => Promise<boolean>,
    limitMs = 3000,
  ): Promise<number> {
    await write();
    const start = performance.now();
    while (!(await seen())) {
      if (performance.now() - start > limitMs) return Number.POSITIVE_INFINITY;
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    return performance.now() - start;
  }

  test('a write through one replica is evaluated by the other within 1 s', async (t) => {
    const evaluateOnB = () =>
      B.call('POST', '/evaluate/v1/boolean', { flagKey: 'replicated', entityId: 'e', context: {} });
    assert.equal((await evaluateOnB()).status, 404);

    const created = await convergence(
      () =>
        A.ok('POST', '/api/v1/namespaces/default/flags', {
          key: 'replicated',
          name: 'R',
          type: 'BOOLEAN_FLAG_TYPE',
          enabled: true,
        }),
      async () => (await evaluateOnB()).status === 200,
    );
    assert.ok(created < 1000, `create seen by the other replica after ${created.toFixed(0)} ms`);
    assert.equal((await evaluateOnB()).body.enabled, true);

    const updated = await convergence(
      () => A.ok('PUT', '/api/v1/namespaces/default/flags/replicated', { name: 'R', enabled: false }),
      async () => (await evaluateOnB()).body.enabled === false,
    );
    assert.ok(updated < 1000, `update seen by the other replica after ${updated.toFixed(0)} ms`);

    // And the other way round.
    const back = await convergence(
      () => B.ok('DELETE', '/api/v1/namespaces/default/flags/replicated'),
      async () =>
        (await A.call('POST', '/evaluate/v1/boolean', { flagKey: 'replicated', entityId: 'e' })).status ===
        404,
    );
    assert.ok(back < 1000, `delete seen by the first replica after ${back.toFixed(0)} ms`);
    t.diagnostic(
      `convergence ms: create ${created.toFixed(0)}, update ${updated.toFixed(0)}, delete ${back.toFixed(0)}`,
    );
  });
});
