import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, it } from 'node:test';
import { createApp } from '../../src/http/app.ts';
import { type Served, serveOver } from './support/app.ts';
import { READONLY_FILES, staticSource, testConfig, testLogger } from './support/static-source.ts';

// Seeded fuzzing over every route on a real socket: random methods, odd path segments and
// encodings, malformed and hostile bodies, odd headers. The server must never answer 5xx (the
// documented read-only 500 excepted), never log a server error, never crash, and still answer
// correctly afterwards.

const SEED = 0x5eed;
const REQUESTS = 6000;
const CONCURRENCY = 24;
const READ_ONLY = 'modification is not allowed in read-only mode';

/** mulberry32: small, fast, reproducible. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const random = prng(SEED);
const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
const chance = (p: number) => random() < p;

const SEGMENTS = [
  '',
  'default',
  'production',
  'flag_001',
  'flag_boolean',
  'segment_001',
  'order',
  '%00',
  '%ZZ',
  '%',
  '%2F',
  '%2e%2e',
  '..',
  '.',
  '%C3%BC',
  '%F0%9F%9A%80',
  '%FF%FE',
  'a'.repeat(3000),
  "~!$&'()*+,;=:@",
  '%20spaced%20',
  '__proto__',
  'constructor',
  '-1',
  '9999999999999999999',
];

const SCALARS: unknown[] = [
  null,
  true,
  false,
  0,
  -1,
  1.5,
  1e308,
  '',
  'x',
  '\u0000',
  '\ud800',
  'ü🚀',
  [],
  {},
  [1, 'a'],
  { a: { b: null } },
];

function mutate(base: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = { ...base };
  const keys = Object.keys(out);
  for (let i = 0; i < 1 + Math.floor(random() * 3); i++) {
    const key =
      chance(0.7) && keys.length > 0
        ? pick(keys)
        : pick(['extra', 'flag_key', 'entity_id', '__proto__', 'requests']);
    out[key] = pick(SCALARS);
  }
  return out;
}

function deep(depth: number, open: string, close: string): string {
  return open.repeat(depth) + close.repeat(depth);
}

function body(): string | Buffer | undefined {
  const valid = {
    flagKey: pick(['flag_001', 'flag_boolean', 'nope', '']),
    entityId: 'e',
    namespaceKey: pick(['', 'default', 'production', 'nope']),
    context: { in_segment: 'segment_005', targetingKey: 'x' },
  };
  switch (Math.floor(random() * 14)) {
    case 0:
      return undefined;
    case 1:
      return JSON.stringify(valid);
    case 2:
      return JSON.stringify(mutate(valid));
    case 3:
      return JSON.stringify({
        requests: [mutate(valid), valid, pick(SCALARS)],
        excludeNotFound: pick(SCALARS),
      });
    case 4:
      return JSON.stringify({ context: pick([...SCALARS, { flags: 'flag_001,nope' }, { flags: ',,' }]) });
    case 5:
      return JSON.stringify(pick(SCALARS));
    case 6:
      return '{"flagKey":'.slice(0, Math.floor(random() * 11));
    case 7:
      return deep(chance(0.5) ? 5000 : 200, '[', ']');
    case 8:
      return `{"a":${deep(3000, '{"a":', '}').replace(/}$/, '')}1}`;
    case 9:
      return JSON.stringify({ ...valid, context: { big: 'x'.repeat(70_000) } });
    case 10:
      return Buffer.from([0xef, 0xbb, 0xbf, ...Buffer.from(JSON.stringify(valid))]);
    case 11:
      return Buffer.from(Array.from({ length: 64 }, () => Math.floor(random() * 256)));
    case 12:
      return JSON.stringify({
        limit: -1,
        rank: '1',
        rollout: 'NaN',
        segmentKeys: [1],
        threshold: { percentage: {} },
      });
    default:
      return JSON.stringify(mutate({ key: 'k', name: 'n', type: 7, matchType: 'X', metadata: [] }));
  }
}

function query(): string {
  if (chance(0.5)) return '';
  const params = [
    `limit=${pick(['10', '0', '-5', 'abc', '99999999999', '1.5', ''])}`,
    `pageToken=${pick(['Hello%20World', 'MTA=', '10', '99', '%ZZ', '', 'LTE='])}`,
    `offset=${pick(['1', '-1', 'x'])}`,
    'pretty',
    `reference=${pick(['main', ''])}`,
  ];
  return `?${params.filter(() => chance(0.5)).join('&')}`;
}

function headers(payload: string | Buffer | undefined): Record<string, string> {
  const h: Record<string, string> = {};
  if (chance(0.5))
    h['content-type'] = pick([
      'application/json',
      'text/plain',
      'application/xml',
      'multipart/form-data',
      '',
    ]);
  if (chance(0.3)) h['accept-encoding'] = pick(['gzip', 'gzip;q=0', 'br, gzip', 'identity', '*']);
  if (chance(0.3))
    h['x-flipt-accept-server-version'] = pick(['1.47.0', 'v1.38.0', 'garbage', '99999999999.1.1', '']);
  if (chance(0.3)) h['if-none-match'] = pick(['*', 'W/"x"', '"abc"', '']);
  if (chance(0.3)) h['x-flipt-namespace'] = pick(['', 'default', 'production', 'nope', '%00']);
  if (chance(0.2)) h['accept'] = 'application/json+pretty';
  if (chance(0.2)) h['origin'] = 'https://evil.example';
  if (payload !== undefined && chance(0.1)) h['transfer-encoding'] = 'chunked';
  return h;
}

let served: Served;
let templates: string[];
before(async () => {
  served = await serveOver(READONLY_FILES, { maxBodyBytes: 64 * 1024 });
  const probe = createApp({
    source: staticSource(READONLY_FILES),
    config: testConfig(),
    logger: testLogger(),
  });
  templates = [...new Set(probe.routes.map((r) => r.path))];
});
after(async () => {
  await served.close();
});

interface Outcome {
  status: number;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(method: string, path: string, payload: string | Buffer | undefined, h: Record<string, string>) {
  const { port } = new URL(served.url);
  return new Promise<Outcome>((resolve, reject) => {
    const headersOut: Record<string, string | number> = { ...h };
    if (payload !== undefined && h['transfer-encoding'] === undefined)
      headersOut['content-length'] = Buffer.byteLength(payload);
    const req = request(
      { host: '127.0.0.1', port: Number(port), method, path, headers: headersOut, agent },
      (res) => {
        // The SSE change stream never ends by itself: its status and first bytes are the answer.
        // A HEAD answer has no bytes and ends at once, like any other.
        if (method !== 'HEAD' && String(res.headers['content-type']).startsWith('text/event-stream')) {
          res.once('data', (c: Buffer) => {
            resolve({ status: res.statusCode ?? 0, text: c.toString('utf8') });
            res.destroy();
          });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
        );
        res.on('error', reject);
      },
    );
    req.on('error', reject);
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

function randomPath(): string {
  if (chance(0.1)) {
    return pick([
      '/',
      '//',
      '/api',
      '/api/v1/',
      '/%',
      '/\u00fc'.replace('\u00fc', '%C3%BC'),
      '/metrics/x',
      '/ofrep/v1',
    ]);
  }
  const template = pick(templates);
  return template.replace(/:[A-Za-z]+/g, () => pick(SEGMENTS)) + query();
}

it(`survives ${REQUESTS} random and malformed requests without a 5xx`, { timeout: 240_000 }, async () => {
  const failures: string[] = [];
  let next = 0;
  let readOnlyAnswers = 0;
  const statuses = new Map<number, number>();

  async function worker() {
    while (next < REQUESTS) {
      next++;
      const method = pick(['GET', 'POST', 'PUT', 'DELETE', 'POST', 'PATCH', 'OPTIONS', 'HEAD']);
      const path = randomPath();
      const payload = method === 'GET' || method === 'HEAD' ? undefined : body();
      const h = headers(payload);
      let outcome: Outcome;
      try {
        outcome = await send(method, path, payload, h);
      } catch (error) {
        failures.push(`${method} ${path.slice(0, 120)}: transport error ${String(error)}`);
        continue;
      }
      statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
      if (outcome.status >= 500) {
        const readOnly = outcome.status === 500 && outcome.text.includes(READ_ONLY);
        if (readOnly) readOnlyAnswers++;
        else
          failures.push(`${method} ${path.slice(0, 120)} → ${outcome.status} ${outcome.text.slice(0, 200)}`);
      }
    }
  }

  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failures`);
  assert.ok(readOnlyAnswers > 0, 'write routes were exercised');
  assert.ok((statuses.get(200) ?? 0) > 200, 'plenty of requests were valid');
  assert.ok((statuses.get(400) ?? 0) > 200, 'plenty of requests were rejected as client mistakes');
  assert.ok((statuses.get(413) ?? 0) > 0, 'the body limit was hit');
  assert.deepEqual(served.logger.errors, [], 'no server errors logged');

  // Still healthy and still correct.
  const res = await fetch(`${served.url}/evaluate/v1/variant`, {
    method: 'POST',
    body: JSON.stringify({
      flagKey: 'flag_001',
      entityId: 'some-fixed-entity-id',
      context: { in_segment: 'segment_005' },
    }),
  });
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { variantKey: string }).variantKey, 'variant_002');
  assert.equal((await fetch(`${served.url}/health`)).status, 200);
  agent.destroy();
});
