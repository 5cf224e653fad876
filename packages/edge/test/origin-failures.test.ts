import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, describe, it } from 'node:test';
import { createEdgeHandler, type EdgeHandler } from '../src/index.ts';

// How the handler behaves when its origin misbehaves. The origin here is a test double: a
// plain node:http server scripted per test, because no real server sends a broken document or
// hangs on purpose. (The live-origin behaviour is in the per-runtime tests.)

type Script = (req: IncomingMessage, res: ServerResponse) => void;

const GOOD = JSON.stringify({
  namespace: { key: 'default' },
  flags: [{ key: 'on', name: 'on', type: 'BOOLEAN_FLAG_TYPE', enabled: true, rollouts: [] }],
});

async function fakeOrigin(script: { current: Script }) {
  const server = createServer((req, res) => script.current(req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((done) => server.close(() => done()));
    },
  };
}

const serveGood: Script = (req, res) => {
  if (req.headers['if-none-match'] === 'v1') {
    res.writeHead(304, { etag: 'v1' }).end();
    return;
  }
  res.writeHead(200, { 'content-type': 'application/json', etag: 'v1' }).end(GOOD);
};

const evaluate = (handler: EdgeHandler) =>
  handler.fetch(
    new Request('http://edge/evaluate/v1/boolean', {
      method: 'POST',
      body: '{"flagKey":"on","entityId":"u"}',
    }),
  );

const health = async (handler: EdgeHandler) => {
  const response = await handler.fetch(new Request('http://edge/health'));
  return {
    status: response.status,
    body: (await response.json()) as { storage: { state: string; error?: string } },
  };
};

describe('@ensign/edge with a misbehaving origin', () => {
  const cleanup: Array<() => Promise<void> | void> = [];
  after(async () => {
    for (const step of cleanup) await step();
  });

  it('keeps the last good snapshot when the origin sends a broken document', async () => {
    const script = { current: serveGood };
    const origin = await fakeOrigin(script);
    const handler = createEdgeHandler({ origin: origin.url, refreshMs: 0, stream: false });
    cleanup.push(() => handler.close(), origin.close);
    assert.equal((await evaluate(handler)).status, 200);

    script.current = (_req, res) =>
      res
        .writeHead(200, { etag: 'v2' })
        .end('{"namespace":{"key":"default"},"flags":[{"key":"x","type":"NOPE"}]}');
    let answer = await evaluate(handler);
    for (let i = 0; i < 50 && !answer.headers.has('x-ensign-stale'); i++) {
      await new Promise((r) => setTimeout(r, 10));
      answer = await evaluate(handler);
    }
    assert.equal(answer.status, 200);
    assert.equal(((await answer.json()) as { enabled: boolean }).enabled, true);
    assert.match(answer.headers.get('x-ensign-stale') ?? '', /^\d+$/);
    const h = await health(handler);
    assert.equal(h.status, 200);
    assert.equal(h.body.storage.state, 'degraded');
    assert.match(h.body.storage.error ?? '', /invalid snapshot/);

    script.current = serveGood;
    await new Promise((r) => setTimeout(r, 20));
    await evaluate(handler);
    for (let i = 0; i < 50 && (await health(handler)).body.storage.state !== 'ok'; i++) {
      await new Promise((r) => setTimeout(r, 10));
    }
    assert.equal((await health(handler)).body.storage.state, 'ok', 'recovers by itself');
  });

  it('never waits on a hanging origin longer than timeoutMs, and not at all once it has data', async () => {
    const script = { current: serveGood };
    const origin = await fakeOrigin(script);
    const handler = createEdgeHandler({ origin: origin.url, refreshMs: 0, timeoutMs: 300, stream: false });
    cleanup.push(() => handler.close(), origin.close);
    assert.equal((await evaluate(handler)).status, 200);
    script.current = () => {}; // accepts, never answers
    const start = performance.now();
    assert.equal((await evaluate(handler)).status, 200);
    assert.ok(performance.now() - start < 200, 'answered from the held data, not after the origin');

    const cold = createEdgeHandler({ origin: origin.url, timeoutMs: 300, stream: false });
    cleanup.push(() => cold.close());
    const coldStart = performance.now();
    const answer = await evaluate(cold);
    const waited = performance.now() - coldStart;
    assert.equal(answer.status, 503);
    assert.equal(((await answer.json()) as { code: number }).code, 14);
    assert.ok(waited >= 250 && waited < 2000, `waited ${waited} ms`);
    assert.equal((await health(cold)).status, 503);
  });

  it('serves a namespace the origin does not have as unknown, like the origin', async () => {
    const origin = await fakeOrigin({
      current: (req, res) => {
        if (req.url?.endsWith('/default')) serveGood(req, res);
        else
          res
            .writeHead(404, { 'content-type': 'application/json' })
            .end('{"code":5,"message":"namespace \\"gone\\" not found","details":[]}');
      },
    });
    const handler = createEdgeHandler({ origin: origin.url, namespaces: ['default', 'gone'], stream: false });
    cleanup.push(() => handler.close(), origin.close);
    const response = await handler.fetch(
      new Request('http://edge/internal/v1/evaluation/snapshot/namespace/gone'),
    );
    assert.equal(response.status, 404);
    assert.equal(await response.text(), '{"code":5,"message":"namespace \\"gone\\" not found","details":[]}');
    assert.equal((await evaluate(handler)).status, 200);
  });

  it('says what is wrong with its options', async () => {
    const handler = createEdgeHandler({ origin: 'flags.example.com' });
    const response = await evaluate(handler);
    assert.equal(response.status, 500);
    assert.match(await response.text(), /origin must be an http\(s\) URL/);
  });
});
