import assert from 'node:assert/strict';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, it } from 'node:test';
import { prng } from '../../../core/test/conformance/prng.ts';
import { createApp } from '../../src/http/app.ts';
import { createNodeListener } from '../../src/http/node-listener.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { importFeatures } from '../../src/storage/database/import-features.ts';
import { createDatabaseSource, type DatabaseSource } from '../../src/storage/database/source.ts';
import { sqliteEngine, type TestDatabase } from '../database/engines.ts';
import { type Served, serveOver } from './support/app.ts';
import { READONLY_FILES, staticSource, testConfig, testLogger } from './support/static-source.ts';

// Seeded fuzzing over every route on a real socket: random methods, odd path segments and
// encodings, malformed and hostile bodies, odd headers. The server must never answer 5xx (the
// documented read-only 500 excepted), never log a server error, never crash, and still answer
// correctly afterwards. It runs twice: over read-only feature files, and over a writable database
// holding the same data, where the same garbage reaches the real write path.

const SEED = 0x5eed;
const REQUESTS = 6000;
const WRITABLE_REQUESTS = Number(process.env['FUZZ_WRITABLE_REQUESTS'] ?? 3000);
const ANSWER_TIMEOUT_MS = 15_000;
const CONCURRENCY = 24;
const READ_ONLY = 'modification is not allowed in read-only mode';

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
let writable: Served;
let database: TestDatabase;
let dbSource: DatabaseSource;
let templates: string[];

const SMALL_FEATURES = `namespace: default
flags:
  - key: flag_001
    name: Flag 1
    enabled: true
    variants: [{ key: variant_001 }, { key: variant_002 }]
    rules:
      - segment: segment_005
        distributions: [{ variant: variant_002, rollout: 100 }]
  - key: flag_boolean
    name: Boolean
    type: BOOLEAN_FLAG_TYPE
    enabled: true
    rollouts: [{ threshold: { percentage: 50, value: false } }]
segments:
  - key: segment_001
    name: Segment 1
    match_type: ALL_MATCH_TYPE
  - key: segment_005
    name: Segment 5
    match_type: ALL_MATCH_TYPE
    constraints: [{ type: STRING_COMPARISON_TYPE, property: in_segment, operator: eq, value: segment_005 }]
`;

/** A SQLite database served with its store through the node listener (the production entry). */
async function serveWritable(): Promise<Served> {
  database = await sqliteEngine().create();
  const logger = testLogger();
  dbSource = createDatabaseSource({ url: database.url, pollIntervalMs: 500 }, silentLogger());
  await dbSource.start();
  // A small document: importing the big fixtures write by write takes minutes on a busy machine.
  await importFeatures(dbSource.connection, dbSource.store, [
    { path: 'small.yaml', content: SMALL_FEATURES },
  ]);
  const server = createServer(
    createNodeListener({
      source: dbSource,
      config: testConfig({ maxBodyBytes: 64 * 1024 }),
      logger,
      management: dbSource.store,
    }),
  );
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    source: undefined as never,
    logger,
    close: () =>
      new Promise<void>((done) => {
        server.closeAllConnections();
        server.close(() => done());
      }),
  };
}

before(async () => {
  served = await serveOver(READONLY_FILES, { maxBodyBytes: 64 * 1024 });
  writable = await serveWritable();
  const probe = createApp({
    source: staticSource(READONLY_FILES),
    config: testConfig(),
    logger: testLogger(),
  });
  templates = [...new Set(probe.routes.map((r) => r.path))];
});
after(async () => {
  await served?.close();
  await writable?.close();
  await dbSource?.close();
  await database?.drop();
  agent.destroy();
});

interface Outcome {
  status: number;
  text: string;
}

const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });

function send(
  target: Served,
  method: string,
  path: string,
  payload: string | Buffer | undefined,
  h: Record<string, string>,
) {
  const { port } = new URL(target.url);
  return new Promise<Outcome>((resolve, reject) => {
    const headersOut: Record<string, string | number> = { ...h };
    if (payload !== undefined && h['transfer-encoding'] === undefined)
      headersOut['content-length'] = Buffer.byteLength(payload);
    const req = request(
      { host: '127.0.0.1', port: Number(port), method, path, headers: headersOut, agent },
      (res) => {
        // The SSE change stream never ends by itself: its status and first bytes are the answer.
        if (String(res.headers['content-type']).startsWith('text/event-stream')) {
          // A HEAD answer has no body to wait for.
          if (method === 'HEAD') {
            resolve({ status: res.statusCode ?? 0, text: '' });
            res.destroy();
            return;
          }
          res.once('close', () => resolve({ status: res.statusCode ?? 0, text: '' }));
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
    // A request that never answers is a failure to report, not a reason for the test to hang.
    req.setTimeout(ANSWER_TIMEOUT_MS, () =>
      req.destroy(new Error(`no answer within ${ANSWER_TIMEOUT_MS} ms`)),
    );
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

async function fuzz(target: Served, requests: number, expectReadOnly: boolean) {
  const failures: string[] = [];
  let next = 0;
  let readOnlyAnswers = 0;
  let writesAccepted = 0;
  const statuses = new Map<number, number>();

  async function worker() {
    while (next < requests) {
      next++;
      const method = pick(['GET', 'POST', 'PUT', 'DELETE', 'POST', 'PATCH', 'OPTIONS', 'HEAD']);
      const path = randomPath();
      const payload = method === 'GET' || method === 'HEAD' ? undefined : body();
      const h = headers(payload);
      let outcome: Outcome;
      try {
        outcome = await send(target, method, path, payload, h);
      } catch (error) {
        failures.push(`${method} ${path.slice(0, 120)}: transport error ${String(error)}`);
        continue;
      }
      statuses.set(outcome.status, (statuses.get(outcome.status) ?? 0) + 1);
      if (outcome.status === 200 && path.startsWith('/api/v1') && method !== 'GET') writesAccepted++;
      if (outcome.status >= 500) {
        const readOnly = expectReadOnly && outcome.status === 500 && outcome.text.includes(READ_ONLY);
        if (readOnly) readOnlyAnswers++;
        else
          failures.push(`${method} ${path.slice(0, 120)} → ${outcome.status} ${outcome.text.slice(0, 200)}`);
      }
    }
  }

  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  assert.deepEqual(failures.slice(0, 10), [], `${failures.length} failures`);
  if (expectReadOnly) assert.ok(readOnlyAnswers > 0, 'write routes were exercised');
  else assert.ok(writesAccepted > 0, 'some random writes reached the database and succeeded');
  assert.ok((statuses.get(200) ?? 0) > 100, 'plenty of requests were valid');
  assert.ok((statuses.get(400) ?? 0) > 100, 'plenty of requests were rejected as client mistakes');
  assert.ok((statuses.get(413) ?? 0) > 0, 'the body limit was hit');
  assert.deepEqual(target.logger.errors, [], 'no server errors logged');

  assert.equal((await fetch(`${target.url}/health`)).status, 200);
  // Random DELETEs may have removed the fixture flags from the writable database.
  if (!expectReadOnly) return;
  // Still correct.
  const res = await fetch(`${target.url}/evaluate/v1/variant`, {
    method: 'POST',
    body: JSON.stringify({
      flagKey: 'flag_001',
      entityId: 'some-fixed-entity-id',
      context: { in_segment: 'segment_005' },
    }),
  });
  assert.equal(res.status, 200);
  assert.equal(((await res.json()) as { variantKey: string }).variantKey, 'variant_002');
  assert.equal((await fetch(`${target.url}/health`)).status, 200);
}

// Timeouts are generous: the figure that matters is "no 5xx", and CI machines are shared.
it(`survives ${REQUESTS} random and malformed requests without a 5xx`, { timeout: 240_000 }, () =>
  fuzz(served, REQUESTS, true),
);

it(
  `survives ${WRITABLE_REQUESTS} random and malformed requests on a writable database without a 5xx`,
  { timeout: 240_000 },
  () => fuzz(writable, WRITABLE_REQUESTS, false),
);
