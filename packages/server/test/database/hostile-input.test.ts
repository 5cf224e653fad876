import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { loadConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type RunningServer, startServer } from '../../src/run.ts';
import { type GrpcError, type Unary, unaryClient } from '../grpc/support/grpc-client.ts';
import { allEngines, type TestDatabase } from './engines.ts';

// Hostile input against a writable server, over REST, gRPC and Connect, on every SQL engine: each
// case must be refused with a 4xx (gRPC INVALID_ARGUMENT/NOT_FOUND) in Flipt's error shape, never
// a 5xx, the engines must agree (case-sensitive keys, same length and NUL rules), reads must
// keep working after the worst accepted input, and memory must not grow with repetition.

const engines = await allEngines();

async function serve(url: string): Promise<RunningServer> {
  const { config } = loadConfig({ env: {} });
  config.server.host = '127.0.0.1';
  config.server.httpPort = 0;
  config.server.grpcPort = 0;
  config.storage.type = 'database';
  config.db.url = url;
  return startServer(config, { logger: silentLogger(), shutdownGracePeriodMs: 1000 });
}

interface Reply {
  status: number;
  body: Record<string, unknown>;
}

/** JSON nested `depth` levels deep: {"a":{"a":…}}. */
const nested = (depth: number): unknown => {
  let value: unknown = 'leaf';
  for (let i = 0; i < depth; i++) value = { a: value };
  return value;
};
/** The raw text of 10,000 levels, built as text so the test itself does not recurse. */
const DEEP_TEXT = `${'{"a":'.repeat(10_000)}1${'}'.repeat(10_000)}`;

const INVALID_ARGUMENT = 3;
const NOT_FOUND = 5;

function gc(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

for (const engine of engines) {
  describe(`hostile input on ${engine.name}`, { skip: engine.skip }, () => {
    let database: TestDatabase;
    let server: RunningServer;
    let flipt: Record<string, Unary> & { close(): void };

    const call = async (method: string, path: string, body?: unknown, contentType = 'application/json') => {
      const res = await fetch(`${server.url}${path}`, {
        method,
        headers: { 'content-type': contentType },
        ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
      });
      const text = await res.text();
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text === '' ? {} : JSON.parse(text);
      } catch {
        parsed = { text };
      }
      return { status: res.status, body: parsed } as Reply;
    };
    /** A REST request Flipt refuses: the status, Flipt's error shape and (optionally) message. */
    const refused = async (
      method: string,
      path: string,
      body: unknown,
      status: number,
      message?: string | RegExp,
    ) => {
      const reply = await call(method, path, body);
      assert.equal(reply.status, status, `${method} ${path}: ${JSON.stringify(reply.body).slice(0, 300)}`);
      assert.equal(reply.body['code'], status === 404 ? NOT_FOUND : INVALID_ARGUMENT);
      assert.deepEqual(reply.body['details'], []);
      if (typeof message === 'string') assert.equal(reply.body['message'], message);
      else if (message) assert.match(String(reply.body['message']), message);
    };
    const ok = async (method: string, path: string, body?: unknown) => {
      const reply = await call(method, path, body);
      assert.equal(reply.status, 200, `${method} ${path}: ${JSON.stringify(reply.body).slice(0, 300)}`);
      return reply.body;
    };
    const connect = (method: string, body: string, contentType = 'application/json') =>
      fetch(`http://127.0.0.1:${server.grpcPort}/flipt.Flipt/${method}`, {
        method: 'POST',
        headers: { 'content-type': contentType },
        body,
      });
    const grpcRefused = async (promise: Promise<unknown>, code: number, message?: RegExp) => {
      const error = (await promise.then(
        () => assert.fail('the call succeeded'),
        (e: unknown) => e,
      )) as GrpcError;
      assert.equal(error.code, code, error.details);
      if (message) assert.match(error.details, message);
    };

    before(async () => {
      database = await engine.create();
      server = await serve(database.url);
      flipt = unaryClient(`127.0.0.1:${server.grpcPort}`, 'flipt.Flipt');
      await ok('POST', '/api/v1/namespaces/default/segments', { key: 'users', name: 'Users' });
    });
    after(async () => {
      flipt?.close();
      await server?.close();
      await database?.drop();
    });

    test('enum values: numbers by their meaning, unknown names and numbers a 400', async () => {
      const byNumber = await ok('POST', '/api/v1/namespaces/default/flags', {
        key: 'num',
        name: 'N',
        type: 1,
      });
      assert.equal(byNumber['type'], 'BOOLEAN_FLAG_TYPE');
      await refused(
        'POST',
        '/api/v1/namespaces/default/flags',
        { key: 'bad', name: 'B', type: 'BOOLEAN' },
        400,
        'unknown value "\\"BOOLEAN\\"" for enum flipt.FlagType',
      );
      await refused(
        'POST',
        '/api/v1/namespaces/default/flags',
        { key: 'bad', name: 'B', type: 99 },
        400,
        /flipt\.FlagType/,
      );
      const segments = '/api/v1/namespaces/default/segments/users/constraints';
      const constraint = { property: 'p', operator: 'eq', value: 'v' };
      const stringByNumber = await ok('POST', segments, { ...constraint, type: 1 });
      assert.equal(stringByNumber['type'], 'STRING_COMPARISON_TYPE');
      await refused('POST', segments, { ...constraint, type: 99 }, 400, /flipt\.ComparisonType/);
      await refused('POST', segments, { ...constraint, type: 'NOPE' }, 400, /flipt\.ComparisonType/);
      await refused('POST', segments, { ...constraint, type: 0 }, 400, /invalid constraint type/);
      await refused(
        'POST',
        '/api/v1/namespaces/default/segments',
        { key: 's2', name: 'S', matchType: 7 },
        400,
      );
      await refused(
        'POST',
        '/api/v1/namespaces/default/flags/num/rollouts',
        { rank: 1, segment: { segmentKey: 'users', segmentOperator: 'XOR' } },
        400,
        /flipt\.SegmentOperator/,
      );

      // gRPC: the same refusals with INVALID_ARGUMENT, never INTERNAL.
      await grpcRefused(flipt.CreateFlag!({ key: 'g99', name: 'G', type: 99 }), INVALID_ARGUMENT, /FlagType/);
      await grpcRefused(
        flipt.CreateConstraint!({ segmentKey: 'users', ...constraint, type: 99 }),
        INVALID_ARGUMENT,
        /ComparisonType/,
      );
      // Connect JSON: unknown names and numbers are invalid_argument (400), not internal.
      for (const type of ['"BOOLEAN"', '99']) {
        const res = await connect('CreateFlag', `{"key":"c","name":"C","type":${type}}`);
        assert.equal(res.status, 400, `type ${type}: ${await res.clone().text()}`);
        assert.equal(((await res.json()) as Record<string, unknown>)['code'], 'invalid_argument');
      }
    });

    test('constraint values follow the one rule set', async () => {
      const path = '/api/v1/namespaces/default/segments/users/constraints';
      const number = { type: 'NUMBER_COMPARISON_TYPE', property: 'n', operator: 'eq' };
      const datetime = { type: 'DATETIME_COMPARISON_TYPE', property: 'd', operator: 'gt' };
      await refused('POST', path, { ...number, value: 'notanumber' }, 400, /is not a number/);
      await refused('POST', path, { ...number, value: '0x10' }, 400, /is not a number/);
      await refused('POST', path, { ...datetime, value: '2024-02-30' }, 400, /not a valid DATETIME/);
      await refused(
        'POST',
        path,
        { ...datetime, value: '2024-02-30T00:00:00Z' },
        400,
        /not a valid DATETIME/,
      );
      const normalised = await ok('POST', path, { ...datetime, value: '2024-02-29T01:30:00+02:00' });
      assert.equal(normalised['value'], '2024-02-28T23:30:00Z');
      await grpcRefused(
        flipt.CreateConstraint!({ segmentKey: 'users', ...number, value: '0x10' }),
        INVALID_ARGUMENT,
        /is not a number/,
      );
    });

    test('missing flag or segment: Flipt’s exact messages', async () => {
      await ok('POST', '/api/v1/namespaces/default/flags', { key: 'vf', name: 'V' });
      await refused(
        'POST',
        '/api/v1/namespaces/default/flags/vf/rules',
        { segmentKey: 'everyone', rank: 1 },
        404,
        'flag "default/vf" or segment "default/everyone" not found',
      );
      await refused(
        'POST',
        '/api/v1/namespaces/default/flags/test/rules',
        { segmentKey: 'users', rank: 1 },
        404,
        'flag "default/test" or segment "default/users" not found',
      );
      await refused(
        'POST',
        '/api/v1/namespaces/default/flags/num/rollouts',
        { rank: 1, segment: { segmentKey: 'everyone', value: true } },
        404,
        'flag "default/num or segment everyone" not found',
      );
    });

    test('keys: one length and character rule on every engine, NUL bytes refused', async () => {
      const flags = '/api/v1/namespaces/default/flags';
      await ok('POST', flags, { key: 'k'.repeat(255), name: 'Long' });
      await refused(
        'POST',
        flags,
        { key: 'k'.repeat(256), name: 'Too long' },
        400,
        /key: must be at most 255/,
      );
      await refused('POST', flags, { key: 'nul\u0000key', name: 'N' }, 400, /key/);
      await refused('POST', flags, { key: 'fine', name: 'nul\u0000name' }, 400, /name: must not contain NUL/);
      await refused('POST', flags, { key: 'fine', name: 'N', description: '\u0000' }, 400, /description/);
      await refused(
        'POST',
        flags,
        { key: 'has space', name: 'N' },
        400,
        'invalid field key: contains invalid characters',
      );
      await refused(
        'POST',
        `${flags}/num/rules`,
        { segmentKey: 's'.repeat(300), rank: 1 },
        400,
        /segmentKey/,
      );
      await refused(
        'PUT',
        `${flags}/num/rules/${'x'.repeat(40)}`,
        { segmentKey: 'users' },
        400,
        /id: must be at most 36/,
      );
      await refused('POST', '/api/v1/namespaces', { key: 'n'.repeat(256), name: 'N' }, 400, /at most 255/);
      await grpcRefused(flipt.CreateFlag!({ key: 'g\u0000', name: 'G' }), INVALID_ARGUMENT);
      await grpcRefused(flipt.CreateSegment!({ key: 'x'.repeat(256), name: 'G' }), INVALID_ARGUMENT);
    });

    test('keys are case-sensitive everywhere', async () => {
      const flags = '/api/v1/namespaces/default/flags';
      await ok('POST', flags, { key: 'CaseFlag', name: 'Upper' });
      await ok('POST', flags, { key: 'caseflag', name: 'Lower' });
      await refused('GET', `${flags}/CASEFLAG`, undefined, 404);
      assert.equal((await ok('GET', `${flags}/CaseFlag`))['name'], 'Upper');
      assert.equal((await ok('GET', `${flags}/caseflag`))['name'], 'Lower');
      await refused('POST', flags, { key: 'CaseFlag', name: 'Again' }, 400, /not unique/);

      await ok('POST', '/api/v1/namespaces', { key: 'RELSEC', name: 'Upper' });
      await ok('POST', '/api/v1/namespaces/RELSEC/flags', { key: 'f', name: 'F' });
      await refused('POST', '/api/v1/namespaces/relsec/flags', { key: 'g', name: 'G' }, 404);
      await refused('GET', '/api/v1/namespaces/relsec', undefined, 404);
      assert.equal(((await ok('GET', '/api/v1/namespaces/RELSEC/flags'))['flags'] as unknown[]).length, 1);
    });

    test('deep JSON is a 400 on every decoder; bounded metadata keeps gRPC reads working', async () => {
      const flags = '/api/v1/namespaces/default/flags';
      const deepFlag = `{"key":"deep","name":"D","metadata":${DEEP_TEXT}}`;
      await refused('POST', flags, deepFlag, 400, /nested deeper/);
      await refused('POST', flags, { key: 'deep', name: 'D', metadata: nested(40) }, 400, /metadata/);
      await refused(
        'POST',
        flags,
        { key: 'big', name: 'B', metadata: { blob: 'x'.repeat(70 * 1024) } },
        400,
        /metadata/,
      );
      await refused(
        'POST',
        '/evaluate/v1/variant',
        `{"flagKey":"vf","entityId":"e","context":${DEEP_TEXT}}`,
        400,
      );
      const ofrep = await call('POST', '/ofrep/v1/evaluate/flags/vf', `{"context":${DEEP_TEXT}}`);
      assert.equal(ofrep.status, 400, JSON.stringify(ofrep.body).slice(0, 200));

      // Connect JSON and protobuf garbage: a 4xx, never a 500.
      for (const [body, type] of [
        [deepFlag, 'application/json'],
        ['{{{', 'application/json'],
        ['\u0000\u0001garbage', 'application/proto'],
        ['{"key":', 'application/json'],
      ] as const) {
        const res = await connect('CreateFlag', body, type);
        assert.ok(
          res.status >= 400 && res.status < 500,
          `Connect ${type} ${body.slice(0, 20)}: ${res.status}`,
        );
        await res.arrayBuffer();
      }
      const connectEval = await fetch(
        `http://127.0.0.1:${server.grpcPort}/flipt.evaluation.EvaluationService/Variant`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: `{"flagKey":"vf","entityId":"e","context":${DEEP_TEXT}}`,
        },
      );
      assert.ok(
        connectEval.status >= 400 && connectEval.status < 500,
        `Connect evaluation: ${connectEval.status}`,
      );
      await connectEval.arrayBuffer();

      // The deepest metadata accepted still reads back over gRPC, alone and in a listing.
      await ok('POST', flags, { key: 'meta', name: 'M', metadata: nested(16) as Record<string, unknown> });
      const got = await flipt.GetFlag!({ key: 'meta' });
      assert.equal(got['key'], 'meta');
      const listed = await flipt.ListFlags!({ namespaceKey: 'default' });
      assert.ok((listed['flags'] as Array<Record<string, unknown>>).some((f) => f['key'] === 'meta'));
    });

    test('repeated hostile requests leave memory flat and the server serving', async () => {
      const flags = '/api/v1/namespaces/default/flags';
      const round = async () => {
        await call('POST', flags, `{"key":"deep","name":"D","metadata":${DEEP_TEXT}}`);
        await call('POST', flags, { key: 'bad', name: 'B', type: 'BOOLEAN' });
        await call('POST', flags, { key: 'n\u0000', name: 'N' });
        await (await connect('CreateFlag', '{{{')).arrayBuffer();
      };
      for (let i = 0; i < 20; i++) await round();
      gc();
      const before = process.memoryUsage().heapUsed;
      for (let i = 0; i < 120; i++) await round();
      gc();
      const grown = process.memoryUsage().heapUsed - before;
      assert.ok(grown < 16 * 1024 * 1024, `heap grew by ${(grown / 1048576).toFixed(1)} MiB`);
      assert.equal((await call('GET', '/health')).status, 200);
    });
  });
}
