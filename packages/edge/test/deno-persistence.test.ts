import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { EDGE_TOKEN, REFRESH_MS } from './support/conformance.ts';
import { ORIGIN_TOKEN, startOrigin } from './support/origin.ts';
import { apiRequests, ask } from './support/requests.ts';
import { startDeno, unavailable } from './support/runtimes.ts';

// A cold isolate answers without its origin when the last snapshot was persisted: Deno KV and
// the Cache API, both real in Deno. The first process syncs and stores; the origin is stopped;
// a second process, started cold, must give the same answers and say they are stale.

const STORES = {
  'Deno KV': {
    prelude: `const store = denoKvStore(await Deno.openKv(Deno.env.get('KV_PATH')));`,
    flags: ['--unstable-kv', '--allow-read', '--allow-write'],
  },
  'the Cache API': {
    prelude: `const store = cacheApiStore(await caches.open('ensign'));`,
    flags: ['--location', 'http://ensign-edge.test/'],
  },
};

describe('@ensign/edge persistence on Deno', { skip: unavailable('deno') }, () => {
  const dirs: string[] = [];
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  for (const [name, store] of Object.entries(STORES)) {
    it(`a cold start answers from ${name} with the origin down`, async () => {
      const shared = mkdtempSync(join(tmpdir(), 'ensign-edge-store-'));
      dirs.push(shared);
      const origin = await startOrigin(4, 20);
      const config = {
        origin: origin.url,
        originToken: ORIGIN_TOKEN,
        callerToken: EDGE_TOKEN,
        refreshMs: REFRESH_MS,
      };
      const extra = {
        prelude: store.prelude,
        options: 'store,',
        flags: store.flags,
        env: { KV_PATH: join(shared, 'kv.sqlite'), DENO_DIR: join(shared, 'deno-dir') },
      };
      const headers = { authorization: `Bearer ${EDGE_TOKEN}` };
      const requests = apiRequests(origin.data).slice(0, 40);
      try {
        const warm = await startDeno(config, extra);
        const expected = [];
        try {
          for (const request of requests) expected.push(await ask(warm.url, request, headers));
        } finally {
          await warm.close();
        }
        assert.ok(expected.every((a) => a.status === 200));
        await origin.stop();

        const cold = await startDeno(config, extra);
        try {
          const answers = [];
          for (const request of requests) answers.push(await ask(cold.url, request, headers));
          assert.deepEqual(answers, expected);
          // The persisted snapshot counts as fresh for refreshMs; once older, a request tries the
          // origin, finds it down, and the handler says so.
          let health = await fetch(`${cold.url}/health`);
          let body = (await health.json()) as { storage: { state: string } };
          for (let i = 0; i < 100 && body.storage.state !== 'degraded'; i++) {
            await new Promise((r) => setTimeout(r, 50));
            await ask(cold.url, requests[0]!, headers);
            health = await fetch(`${cold.url}/health`);
            body = (await health.json()) as { storage: { state: string } };
          }
          assert.equal(health.status, 200);
          assert.equal(body.storage.state, 'degraded');
          assert.match(health.headers.get('x-ensign-stale') ?? '', /^\d+$/);
        } finally {
          await cold.close();
        }
      } finally {
        await origin.close();
      }
    });
  }
});
