import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runCli } from './run-cli.ts';

// A stand-in for the Ensign HTTP API (a test double): it answers the two calls `evaluate`
// makes and records the requests, so this test pins the command's own behaviour.
const received: { method: string; url: string; headers: IncomingMessage['headers']; body: unknown }[] = [];
let server: Server;
let address: string;

const FLAGS: Record<string, string> = {
  'default/banner': 'BOOLEAN_FLAG_TYPE',
  'mobile/theme': 'VARIANT_FLAG_TYPE',
};

before(async () => {
  server = createServer((req, res) => {
    let text = '';
    req.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    req.on('end', () => {
      const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined;
      received.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(payload));
      };
      const lookup = /^\/api\/v1\/namespaces\/([^/]+)\/flags\/([^/]+)$/.exec(req.url ?? '');
      if (lookup) {
        const type = FLAGS[`${lookup[1]}/${lookup[2]}`];
        if (type) return send(200, { key: lookup[2], type });
        return send(404, { code: 5, message: `flag "${lookup[1]}/${lookup[2]}" not found`, details: [] });
      }
      const common = { requestId: 'r-1', requestDurationMillis: 0.5, timestamp: '2026-11-25T10:00:00Z' };
      if (req.url === '/evaluate/v1/boolean') {
        return send(200, {
          enabled: true,
          reason: 'DEFAULT_EVALUATION_REASON',
          flagKey: body?.['flagKey'],
          segmentKeys: [],
          ...common,
        });
      }
      if (req.url === '/evaluate/v1/variant') {
        return send(200, {
          match: true,
          segmentKeys: ['ios'],
          reason: 'MATCH_EVALUATION_REASON',
          variantKey: 'dark',
          variantAttachment: '{"a":1}',
          flagKey: body?.['flagKey'],
          ...common,
        });
      }
      send(404, { code: 5, message: 'Not Found', details: [] });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  address = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
after(() => server.close());

describe('ensign evaluate', () => {
  it('looks the flag up, evaluates a boolean flag and prints Flipt’s snake_case line', async () => {
    received.length = 0;
    const result = await runCli([
      'evaluate',
      'banner',
      '-e',
      'user-7',
      '-c',
      'plan=pro',
      '-c',
      'eq=a=b',
      '-a',
      address,
      '-t',
      's3cret',
    ]);
    assert.equal(result.code, 0, result.stderr);
    assert.equal(result.stdout.split('\n').length, 2, 'exactly one line');
    assert.deepEqual(Object.entries(JSON.parse(result.stdout)), [
      ['flag_key', 'banner'],
      ['enabled', true],
      ['reason', 'DEFAULT_EVALUATION_REASON'],
      ['request_id', 'r-1'],
      ['request_duration_millis', 0.5],
      ['timestamp', '2026-11-25T10:00:00Z'],
    ]);
    assert.deepEqual(
      received.map((r) => `${r.method} ${r.url}`),
      ['GET /api/v1/namespaces/default/flags/banner', 'POST /evaluate/v1/boolean'],
    );
    assert.deepEqual(received[1]!.body, {
      namespaceKey: 'default',
      flagKey: 'banner',
      entityId: 'user-7',
      context: { plan: 'pro', eq: 'a=b' },
    });
    assert.equal(received[0]!.headers.authorization, 'Bearer s3cret');
  });

  it('evaluates a variant flag in another namespace with a random entity id', async () => {
    received.length = 0;
    const result = await runCli(['evaluate', 'theme', '-n', 'mobile', '--address', address]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      flag_key: 'theme',
      match: true,
      reason: 'MATCH_EVALUATION_REASON',
      variant_key: 'dark',
      variant_attachment: '{"a":1}',
      segment_keys: ['ios'],
      request_id: 'r-1',
      request_duration_millis: 0.5,
      timestamp: '2026-11-25T10:00:00Z',
    });
    const body = received[1]!.body as { entityId: string };
    assert.match(body.entityId, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  });

  it('passes the server’s message on for an unknown flag', async () => {
    const result = await runCli(['evaluate', 'nope', '-a', address]);
    assert.equal(result.code, 1);
    assert.equal(result.stdout, '');
    assert.match(
      result.stderr,
      /^ensign: flag "default\/nope" not found \(HTTP 404 from GET \/api\/v1\/namespaces\/default\/flags\/nope\)$/m,
    );
  });

  it('says when the server cannot be reached', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const result = await runCli(['evaluate', 'banner', '-a', `http://127.0.0.1:${port}`]);
    assert.equal(result.code, 1);
    assert.match(
      result.stderr,
      new RegExp(`^ensign: cannot reach the server at http://127.0.0.1:${port}: ECONNREFUSED$`, 'm'),
    );
  });

  it('rejects malformed context and addresses before calling anything', async () => {
    const context = await runCli(['evaluate', 'banner', '-c', 'novalue', '-a', address]);
    assert.equal(context.code, 1);
    assert.match(context.stderr, /--context must be key=value \(got "novalue"\)/);
    const bad = await runCli(['evaluate', 'banner', '-a', 'localhost:8080']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /--address must be an http:\/\/ or https:\/\/ URL/);
  });

  it('finds the server through the config file or the environment when no --address is given', async () => {
    const port = new URL(address).port;
    const dir = mkdtempSync(join(tmpdir(), 'ensign-evaluate-'));
    try {
      const config = join(dir, 'config.yml');
      writeFileSync(config, `server:\n  host: 127.0.0.1\n  http_port: ${port}\n`);
      const fromFile = await runCli(['evaluate', 'banner', '--config', config]);
      assert.equal(fromFile.code, 0, fromFile.stderr);
      assert.equal((JSON.parse(fromFile.stdout) as { enabled: boolean }).enabled, true);

      // A wildcard bind address is reached on localhost.
      const fromEnv = await runCli(['evaluate', 'banner'], { env: { ENSIGN_SERVER_HTTP_PORT: port } });
      assert.equal(fromEnv.code, 0, fromEnv.stderr);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
