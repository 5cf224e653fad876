import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { EDGE_TOKEN, REFRESH_MS } from './support/conformance.ts';
import { ORIGIN_TOKEN, startOrigin } from './support/origin.ts';
import { apiRequests, ask } from './support/requests.ts';
import { startWorkerd, unavailable } from './support/runtimes.ts';

// A cold workerd isolate answers from Workers KV with the origin down. workerd's KV binding is
// real; the storage behind it is a test double (Cloudflare's KV service does not run here): an
// in-memory HTTP server speaking the binding's protocol (GET/PUT /<key>?urlencoded=true).

const WORKER = `
import { createEdgeHandler, workersKvStore } from '@ensign/edge';
export default createEdgeHandler((env) => ({
  origin: env.ORIGIN,
  token: env.ORIGIN_TOKEN,
  refreshMs: Number(env.REFRESH_MS),
  authentication: { tokens: [env.EDGE_TOKEN] },
  store: workersKvStore(env.FLAGS),
}));
`;

async function kvDouble() {
  const values = new Map<string, string>();
  const server = createServer((req, res) => {
    const key = decodeURIComponent(new URL(req.url ?? '/', 'http://kv').pathname.slice(1));
    if (req.method === 'PUT') {
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => {
        values.set(key, body);
        res.writeHead(200).end();
      });
      return;
    }
    const value = values.get(key);
    if (value === undefined) res.writeHead(404).end();
    else res.writeHead(200).end(value);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    values,
    close: () => new Promise<void>((done) => server.close(() => done())),
  };
}

describe('@ensign/edge persistence on workerd', { skip: unavailable('workerd') }, () => {
  it('a cold isolate answers from Workers KV with the origin down', async () => {
    const kv = await kvDouble();
    const origin = await startOrigin(6, 20);
    const config = {
      origin: origin.url,
      originToken: ORIGIN_TOKEN,
      callerToken: EDGE_TOKEN,
      refreshMs: REFRESH_MS,
    };
    const headers = { authorization: `Bearer ${EDGE_TOKEN}` };
    const requests = apiRequests(origin.data).slice(0, 30);
    try {
      const warm = await startWorkerd(config, WORKER, kv.url);
      const expected = [];
      try {
        for (const request of requests) expected.push(await ask(warm.url, request, headers));
      } finally {
        await warm.close();
      }
      assert.ok(expected.every((a) => a.status === 200));
      assert.ok(kv.values.has('ensign-snapshot:default'), 'the snapshot was saved through the binding');
      await origin.stop();

      const cold = await startWorkerd(config, WORKER, kv.url);
      try {
        const answers = [];
        for (const request of requests) answers.push(await ask(cold.url, request, headers));
        assert.deepEqual(answers, expected);
        // The persisted snapshot counts as fresh for refreshMs; once older, a request tries the
        // origin, finds it down, and the handler says so.
        const state = async () =>
          ((await (await fetch(`${cold.url}/health`)).json()) as { storage: { state: string } }).storage
            .state;
        let seen = await state();
        for (let i = 0; i < 100 && seen !== 'degraded'; i++) {
          await new Promise((r) => setTimeout(r, 50));
          await ask(cold.url, requests[0]!, headers);
          seen = await state();
        }
        assert.equal(seen, 'degraded');
      } finally {
        await cold.close();
      }
    } finally {
      await origin.close();
      await kv.close();
    }
  });
});
