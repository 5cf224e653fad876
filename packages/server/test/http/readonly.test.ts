import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { appOver } from './support/app.ts';
import { type Body, READONLY_FILES } from './support/static-source.ts';

// Flipt's readonly integration suite, restated: every namespaced check for the
// keys "", "default" and "production"; "" must act as default and echo "default".

const { app, logger } = appOver(READONLY_FILES);

async function get(path: string) {
  const res = await app.request(path);
  return { status: res.status, body: (await res.json()) as Body };
}

async function post(path: string, body: unknown) {
  const res = await app.request(path, { method: 'POST', body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Body };
}

const NAMESPACES = [
  { key: '', expected: 'default' },
  { key: 'default', expected: 'default' },
  { key: 'production', expected: 'production' },
];

describe('namespaces', () => {
  it('lists default and production by key and gets each', async () => {
    const { status, body } = await get('/api/v1/namespaces');
    assert.equal(status, 200);
    assert.deepEqual(
      body.namespaces.map((n: Body) => n.key),
      ['default', 'production'],
    );
    assert.equal(body.totalCount, 2);
    assert.equal(body.nextPageToken, '');
    const prod = await get('/api/v1/namespaces/production');
    assert.equal(prod.body.name, 'Production');
    assert.equal(prod.body.protected, false);
  });

  it('answers Flipt not-found for an unknown namespace', async () => {
    const res = await get('/api/v1/namespaces/nope');
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { code: 5, message: 'namespace "nope" not found', details: [] });
    const flags = await get('/api/v1/namespaces/nope/flags');
    assert.equal(flags.status, 404);
  });
});

for (const ns of NAMESPACES) {
  const base = `/api/v1/namespaces/${ns.key}`;
  const evalBody = (b: Record<string, unknown>) => (ns.key === '' ? b : { namespaceKey: ns.key, ...b });

  describe(`namespace "${ns.key}"`, () => {
    it('gets flag_013 with its variants', async () => {
      const { status, body } = await get(`${base}/flags/flag_013`);
      assert.equal(status, 200);
      assert.equal(body.namespaceKey, ns.expected);
      assert.equal(body.key, 'flag_013');
      assert.equal(body.name, 'FLAG_013');
      assert.equal(body.description, 'Some Description');
      assert.equal(body.enabled, true);
      assert.deepEqual(
        body.variants.map((v: Body) => v.key),
        ['variant_001', 'variant_002'],
      );
    });

    it('lists 57 flags, flag_001 first; rejects the Hello World token', async () => {
      const bad = await get(`${base}/flags?limit=10&pageToken=Hello%20World`);
      assert.equal(bad.status, 400);
      assert.deepEqual(bad.body, { code: 3, message: 'pageToken is not valid: "Hello World"', details: [] });

      const { body } = await get(`${base}/flags`);
      assert.equal(body.flags.length, 57);
      assert.equal(body.totalCount, 57);
      assert.equal(body.nextPageToken, '');
      assert.equal(body.flags[0].key, 'flag_001');
      assert.equal(body.flags[0].namespaceKey, ns.expected);
    });

    it('pages flags: concatenated pages deep-equal the unpaged list, no trailing empty page', async () => {
      const all = (await get(`${base}/flags`)).body.flags;
      const pages: unknown[] = [];
      let token = '';
      let requests = 0;
      do {
        const { status, body } = await get(`${base}/flags?limit=10${token ? `&pageToken=${token}` : ''}`);
        assert.equal(status, 200);
        assert.ok(body.flags.length > 0, 'no empty page');
        assert.equal(body.totalCount, 57);
        pages.push(...body.flags);
        token = body.nextPageToken;
        requests++;
      } while (token !== '');
      assert.equal(requests, 6);
      assert.deepEqual(pages, all);
    });

    it('pages segments and rules the same way', async () => {
      const segments = (await get(`${base}/segments`)).body;
      assert.equal(segments.segments.length, 53);
      assert.equal(segments.segments[0].key, 'segment_001');
      const first = await get(`${base}/segments?limit=50`);
      const rest = await get(`${base}/segments?limit=50&pageToken=${first.body.nextPageToken}`);
      assert.equal(rest.body.nextPageToken, '');
      assert.deepEqual([...first.body.segments, ...rest.body.segments], segments.segments);

      const rules = (await get(`${base}/flags/flag_001/rules`)).body;
      assert.equal(rules.rules.length, 50);
      assert.deepEqual(
        rules.rules.map((r: Body) => r.rank),
        Array.from({ length: 50 }, (_, i) => i + 1),
      );
      const paged = await get(`${base}/flags/flag_001/rules?limit=25`);
      const paged2 = await get(`${base}/flags/flag_001/rules?limit=25&pageToken=${paged.body.nextPageToken}`);
      assert.deepEqual([...paged.body.rules, ...paged2.body.rules], rules.rules);
    });

    it('gets a segment, a rule and a rollout by id; unknown ones are Flipt not-found', async () => {
      const seg = await get(`${base}/segments/segment_001`);
      assert.equal(seg.body.namespaceKey, ns.expected);
      assert.equal(seg.body.constraints[0].property, 'in_segment');
      assert.equal(
        (await get(`${base}/segments/nope`)).body.message,
        `segment "${ns.expected}/nope" not found`,
      );

      const rules = (await get(`${base}/flags/flag_001/rules`)).body.rules;
      const rule = await get(`${base}/flags/flag_001/rules/${rules[4].id}`);
      assert.deepEqual(rule.body, rules[4]);
      assert.equal(rule.body.segmentKey, 'segment_005');

      const rollouts = await get(`${base}/flags/flag_boolean/rollouts`);
      assert.equal(rollouts.body.rules.length, 5, 'RolloutList names its array rules');
      assert.equal(rollouts.body.rules[4].threshold.percentage, 50);
      const one = await get(`${base}/flags/flag_boolean/rollouts/${rollouts.body.rules[0].id}`);
      assert.equal(one.body.segment.segmentKey, 'segment_001');

      const missing = await get(`${base}/flags/flag_001/rules/nope`);
      assert.equal(missing.status, 404);
      assert.equal(missing.body.message, `rule "${ns.expected}/nope" not found`);
      assert.equal((await get(`${base}/flags/nope`)).body.message, `flag "${ns.expected}/nope" not found`);
    });

    it('evaluates flag_001 for segment_005 to variant_002', async () => {
      const { status, body } = await post(
        '/evaluate/v1/variant',
        evalBody({
          flagKey: 'flag_001',
          entityId: 'some-fixed-entity-id',
          context: { in_segment: 'segment_005' },
        }),
      );
      assert.equal(status, 200);
      assert.equal(body.match, true);
      assert.equal(body.reason, 'MATCH_EVALUATION_REASON');
      assert.equal(body.variantKey, 'variant_002');
      assert.deepEqual(body.segmentKeys, ['segment_005']);
      assert.match(body.requestId, /^[0-9a-f-]{36}$/);
      assert.match(body.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z$/);
      assert.equal(typeof body.requestDurationMillis, 'number');
    });

    it('evaluates flag_boolean by segment, threshold and default', async () => {
      const seg = await post(
        '/evaluate/v1/boolean',
        evalBody({ flagKey: 'flag_boolean', entityId: 'e', context: { in_segment: 'segment_002' } }),
      );
      assert.equal(seg.body.enabled, false);
      assert.equal(seg.body.reason, 'MATCH_EVALUATION_REASON');
      assert.deepEqual(seg.body.segmentKeys, ['segment_002']);
      // No entityId at all is accepted (Flipt's suites send none): crc32("flag_boolean") % 100.
      const threshold = await post('/evaluate/v1/boolean', evalBody({ flagKey: 'flag_boolean' }));
      assert.equal(threshold.status, 200);
      assert.equal(threshold.body.reason, 'MATCH_EVALUATION_REASON');
      assert.equal(threshold.body.enabled, true);
      const def = await post(
        '/evaluate/v1/boolean',
        evalBody({ flagKey: 'flag_boolean_and_segments', entityId: 'e' }),
      );
      assert.equal(def.body.reason, 'DEFAULT_EVALUATION_REASON');
      assert.equal(def.body.enabled, false);
    });

    it('evaluates entity-id, no-distribution and disabled flags', async () => {
      const entity = await post(
        '/evaluate/v1/variant',
        evalBody({ flagKey: 'flag_using_entity_id', entityId: 'user@flipt.io' }),
      );
      assert.equal(entity.body.match, true);
      assert.deepEqual(entity.body.segmentKeys, ['segment_entity_id']);
      const other = await post(
        '/evaluate/v1/variant',
        evalBody({ flagKey: 'flag_using_entity_id', entityId: 'x@y' }),
      );
      assert.equal(other.body.match, false);

      const noDist = await post(
        '/evaluate/v1/variant',
        evalBody({ flagKey: 'flag_no_distributions', entityId: 'e', context: { in_segment: 'segment_001' } }),
      );
      assert.equal(noDist.body.match, true);
      assert.equal(noDist.body.variantKey, '');

      const disabled = await post(
        '/evaluate/v1/variant',
        evalBody({ flagKey: 'flag_disabled', entityId: 'e' }),
      );
      assert.equal(disabled.body.match, false);
      assert.equal(disabled.body.reason, 'FLAG_DISABLED_EVALUATION_REASON');
    });

    it('batch turns a missing flag into an ERROR item', async () => {
      const { status, body } = await post('/evaluate/v1/batch', {
        requests: [
          evalBody({
            flagKey: 'flag_001',
            entityId: 'some-fixed-entity-id',
            context: { in_segment: 'segment_005' },
          }),
          evalBody({ flagKey: 'flag_boolean', entityId: 'e' }),
          evalBody({ flagKey: 'nope', entityId: 'e' }),
        ],
      });
      assert.equal(status, 200);
      assert.deepEqual(
        body.responses.map((r: Body) => r.type),
        [
          'VARIANT_EVALUATION_RESPONSE_TYPE',
          'BOOLEAN_EVALUATION_RESPONSE_TYPE',
          'ERROR_EVALUATION_RESPONSE_TYPE',
        ],
      );
      assert.equal(body.responses[0].variantResponse.variantKey, 'variant_002');
      assert.deepEqual(body.responses[2].errorResponse, {
        flagKey: 'nope',
        namespaceKey: ns.expected,
        reason: 'NOT_FOUND_ERROR_EVALUATION_REASON',
      });
      assert.equal(body.responses[0].variantResponse.timestamp, body.responses[1].booleanResponse.timestamp);
    });

    it('legacy evaluate answers the legacy shape', async () => {
      const { status, body } = await post(`${base}/evaluate`, {
        flagKey: 'flag_001',
        entityId: 'some-fixed-entity-id',
        context: { in_segment: 'segment_005' },
      });
      assert.equal(status, 200);
      assert.equal(body.value, 'variant_002');
      assert.equal(body.segmentKey, 'segment_005');
      assert.equal(body.reason, 'MATCH_EVALUATION_REASON');
      assert.equal(body.namespaceKey, ns.expected);
      assert.equal(body.entityId, 'some-fixed-entity-id');
      assert.deepEqual(body.requestContext, { in_segment: 'segment_005' });
      assert.equal(body.attachment, '');
    });
  });
}

describe('evaluation errors', () => {
  it('missing flag and wrong type are Flipt errors', async () => {
    const missing = await post('/evaluate/v1/variant', { flagKey: 'nope', entityId: 'e' });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { code: 5, message: 'flag "default/nope" not found', details: [] });
    const wrong = await post('/evaluate/v1/variant', { flagKey: 'flag_boolean', entityId: 'e' });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.message, 'flag type BOOLEAN_FLAG_TYPE invalid');
    const wrong2 = await post('/evaluate/v1/boolean', { flagKey: 'flag_001', entityId: 'e' });
    assert.equal(wrong2.body.message, 'flag type VARIANT_FLAG_TYPE invalid');
  });

  it('legacy evaluate validates flagKey and entityId', async () => {
    const noEntity = await post('/api/v1/evaluate', { flagKey: 'flag_001' });
    assert.equal(noEntity.status, 400);
    assert.equal(noEntity.body.message, 'invalid field entityId: must not be empty');
    const noFlag = await post('/api/v1/evaluate', { entityId: 'e' });
    assert.equal(noFlag.body.message, 'invalid field flagKey: must not be empty');
  });

  it('legacy batch: same namespace, excludeNotFound, blank inner ids', async () => {
    const mixed = await post('/api/v1/namespaces/production/batch-evaluate', {
      requests: [{ flagKey: 'flag_001', entityId: 'e', namespaceKey: 'default' }],
    });
    assert.equal(mixed.status, 400);
    assert.equal(
      mixed.body.message,
      'invalid field namespace_key: must be the same for all requests if specified',
    );
    const failing = await post('/api/v1/batch-evaluate', {
      requests: [
        { flagKey: 'flag_001', entityId: 'e' },
        { flagKey: 'nope', entityId: 'e' },
      ],
    });
    assert.equal(failing.status, 404);
    const excluded = await post('/api/v1/batch-evaluate', {
      requestId: 'batch-1',
      excludeNotFound: true,
      requests: [
        { requestId: 'inner', flagKey: 'flag_001', entityId: 'e' },
        { flagKey: 'nope', entityId: 'e' },
      ],
    });
    assert.equal(excluded.status, 200);
    assert.equal(excluded.body.requestId, 'batch-1');
    assert.equal(excluded.body.responses.length, 1);
    assert.equal(excluded.body.responses[0].requestId, '');
  });

  it('client mistakes are never logged as server errors', () => {
    assert.deepEqual(logger.errors, []);
  });
});

describe('keys that name Object.prototype members', () => {
  // Found by the fuzz test: a flag key of `constructor` once reached Object.prototype.
  it('are ordinary unknown keys', async () => {
    for (const key of ['constructor', '__proto__', 'toString']) {
      const rule = await get(`/api/v1/namespaces/default/flags/${key}/rules/x`);
      assert.equal(rule.status, 404);
      assert.equal(rule.body.message, 'rule "default/x" not found');
      const rollout = await get(`/api/v1/namespaces/default/flags/${key}/rollouts/x`);
      assert.equal(rollout.status, 404);
      const rules = await get(`/api/v1/namespaces/default/flags/${key}/rules`);
      assert.equal(rules.status, 200);
      assert.deepEqual(rules.body.rules, []);
      const flag = await get(`/api/v1/namespaces/default/flags/${key}`);
      assert.equal(flag.status, 404);
      const evaluated = await post('/evaluate/v1/variant', { flagKey: key, entityId: 'e' });
      assert.equal(evaluated.status, 404);
    }
  });
});
