import assert from 'node:assert/strict';
import { connect } from 'node:http2';
import { describe, it } from 'node:test';
import { BUNDLED_EXAMPLES_PATH, defaultConfig } from '../../src/config/defaults.ts';
import { batched, createAccessLogger } from '../../src/observability/access-log.ts';
import { createLogger } from '../../src/observability/logger.ts';
import { startServer } from '../../src/run.ts';

// log.access: one JSON line per request with method, path, status and duration, on both HTTP
// paths (the evaluation fast path and Hono) and on the gRPC port (HTTP/2 and HTTP/1.1).

async function serve(access: boolean) {
  const lines: Record<string, unknown>[] = [];
  const config = defaultConfig({});
  config.log = { level: 'warn', encoding: 'json', access };
  config.server = { ...config.server, host: '127.0.0.1', httpPort: 0, grpcPort: 0 };
  config.storage = {
    type: 'local',
    readOnly: true,
    local: { path: BUNDLED_EXAMPLES_PATH, pollIntervalMs: 60_000 },
  };
  const collect = {
    write: (text: string) => {
      for (const line of text.split('\n')) if (line !== '') lines.push(JSON.parse(line));
    },
  };
  const logger = createLogger(config.log, collect);
  // The access log's own writer (batched), into the same list.
  const accessLogger = createAccessLogger(config.log, collect);
  const server = await startServer(config, { logger, accessLogger });
  return { server, requests: () => lines.filter((line) => line['msg'] === 'request') };
}

/** A unary gRPC call over HTTP/2 with an empty message. */
function grpcCall(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const session = connect(`http://127.0.0.1:${port}`);
    session.on('error', reject);
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
    });
    stream.end(Buffer.from([0, 0, 0, 0, 0]));
    stream.resume();
    stream.on('close', () => session.close(() => resolve()));
  });
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('access log', () => {
  it('writes one line per request on every transport path when log.access is on', async () => {
    const { server, requests } = await serve(true);
    try {
      const fast = await fetch(`${server.url}/evaluate/v1/boolean`, {
        method: 'POST',
        body: JSON.stringify({ flagKey: 'no-such-flag', entityId: 'e' }),
      });
      await fast.text();
      await (await fetch(`${server.url}/meta/info`)).text();
      await (await fetch(`${server.url}/nowhere`)).text();
      await grpcCall(server.grpcPort, '/grpc.health.v1.Health/Check');
      await (
        await fetch(`http://127.0.0.1:${server.grpcPort}/grpc.health.v1.Health/Check`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: '{}',
        })
      ).text();
      await settle();

      const seen = requests().map((r) => [r['transport'], r['method'], r['path'], r['status']]);
      assert.deepEqual(seen, [
        ['http', 'POST', '/evaluate/v1/boolean', 404],
        ['http', 'GET', '/meta/info', 200],
        ['http', 'GET', '/nowhere', 404],
        ['grpc', 'POST', '/grpc.health.v1.Health/Check', 200],
        ['grpc', 'POST', '/grpc.health.v1.Health/Check', 200],
      ]);
      for (const line of requests()) {
        assert.equal(typeof line['durationMs'], 'number');
        assert.equal(line['level'], 'info', 'written although log.level is warn: the operator asked');
      }
      assert.equal(requests()[3]!['grpcStatus'], 0);
    } finally {
      await server.close();
    }
  });

  it('writes nothing per request when log.access is off (the default)', async () => {
    const { server, requests } = await serve(false);
    try {
      await (await fetch(`${server.url}/meta/info`)).text();
      await grpcCall(server.grpcPort, '/grpc.health.v1.Health/Check');
      await settle();
      assert.deepEqual(requests(), []);
    } finally {
      await server.close();
    }
  });

  it('batches lines into one write per turn of the event loop, in order', async () => {
    const writes: string[] = [];
    const destination = batched({ write: (text: string) => writes.push(text) });
    destination.write('a\n');
    destination.write('b\n');
    assert.deepEqual(writes, [], 'nothing written synchronously');
    await new Promise((resolve) => setImmediate(resolve));
    destination.write('c\n');
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(writes, ['a\nb\n', 'c\n']);
  });
});
