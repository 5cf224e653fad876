import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ORIGIN_TOKEN, type Origin, startOrigin } from './origin.ts';
import { type ApiAnswer, apiRequests, ask } from './requests.ts';

// The proof every runtime must give, against a live origin on generated data: the origin's
// answers, a change followed within refreshMs + 1 s, answers kept with the origin stopped, and
// 304 for a matching ETag. Each runtime's test file supplies only how to start the handler.

export const REFRESH_MS = 500;
export const EDGE_TOKEN = 'edge-secret';

export interface EdgeUnderTest {
  url: string;
  close(): Promise<void>;
}

export interface EdgeConfig {
  origin: string;
  originToken: string;
  callerToken: string;
  refreshMs: number;
}

export type StartEdge = (config: EdgeConfig) => Promise<EdgeUnderTest>;

const AS_CALLER = { authorization: `Bearer ${EDGE_TOKEN}` };
const TO_ORIGIN = { authorization: `Bearer ${ORIGIN_TOKEN}` };

async function answersOf(
  base: string,
  headers: Record<string, string>,
  origin: Origin,
): Promise<ApiAnswer[]> {
  const answers: ApiAnswer[] = [];
  for (const request of apiRequests(origin.data)) answers.push(await ask(base, request, headers));
  return answers;
}

function assertSameAnswers(edge: ApiAnswer[], origin: ApiAnswer[], origins: Origin): void {
  const requests = apiRequests(origins.data);
  assert.equal(edge.length, origin.length);
  for (let i = 0; i < edge.length; i++) {
    const r = requests[i]!;
    assert.deepEqual(edge[i], origin[i], `${r.method} ${r.path} ${r.body ?? ''}`);
  }
}

/** `keepsConnections`: the runtime lets work outlive a request, so the origin's stream is used. */
export function edgeConformance(
  runtime: string,
  keepsConnections: boolean,
  start: StartEdge,
  skip?: string,
): void {
  describe(`@ensign/edge on ${runtime}`, { skip }, () => {
    let origin: Origin;
    let edge: EdgeUnderTest;

    before(async () => {
      origin = await startOrigin(1, 40);
      edge = await start({
        origin: origin.url,
        originToken: ORIGIN_TOKEN,
        callerToken: EDGE_TOKEN,
        refreshMs: REFRESH_MS,
      });
    });

    after(async () => {
      await edge?.close();
      await origin?.close();
    });

    it("gives the origin's answers on generated data, byte for byte", async () => {
      const fromEdge = await answersOf(edge.url, AS_CALLER, origin);
      const fromOrigin = await answersOf(origin.url, TO_ORIGIN, origin);
      assert.ok(
        fromOrigin.filter((a) => a.status === 200).length > 100,
        'the request set exercises real answers',
      );
      assertSameAnswers(fromEdge, fromOrigin, origin);
    });

    it("authenticates its callers with Flipt's token rules", async () => {
      const request = apiRequests(origin.data)[0]!;
      const none = await ask(edge.url, request);
      assert.equal(none.status, 401);
      assert.equal(none.body, '{"code":16,"message":"request was not authenticated","details":[]}');
      const wrong = await ask(edge.url, request, { authorization: 'Bearer nope' });
      assert.equal(wrong.status, 401);
      const cookie = await ask(edge.url, request, { cookie: `flipt_client_token=${EDGE_TOKEN}` });
      assert.equal(cookie.status, 200);
    });

    it('answers 304 for a matching ETag, on the snapshot and on OFREP bulk', async () => {
      const path = '/internal/v1/evaluation/snapshot/namespace/default';
      const first = await fetch(edge.url + path, { headers: AS_CALLER });
      await first.text();
      const etag = first.headers.get('etag');
      assert.ok(etag, 'the snapshot carries an ETag');
      const fromOrigin = await fetch(origin.url + path, { headers: TO_ORIGIN });
      await fromOrigin.text();
      assert.equal(etag, fromOrigin.headers.get('etag'), "the origin's ETag, so clients can switch");
      const again = await fetch(edge.url + path, { headers: { ...AS_CALLER, 'if-none-match': etag } });
      assert.equal(again.status, 304);
      assert.equal(await again.text(), '');

      const bulk = { method: 'POST', headers: AS_CALLER, body: '{"context":{"targetingKey":"u"}}' };
      const b1 = await fetch(`${edge.url}/ofrep/v1/evaluate/flags`, bulk);
      await b1.text();
      const bulkEtag = b1.headers.get('etag')!;
      assert.match(bulkEtag, /^W\/"[0-9a-f]{40}"$/);
      const b2 = await fetch(`${edge.url}/ofrep/v1/evaluate/flags`, {
        ...bulk,
        headers: { ...AS_CALLER, 'if-none-match': bulkEtag },
      });
      assert.equal(b2.status, 304);
    });

    it(`follows a change at the origin within refreshMs + 1 s`, async () => {
      const path = '/internal/v1/evaluation/snapshot/namespace/default';
      const before = (await ask(edge.url, { method: 'GET', path }, AS_CALLER)).etag;
      await origin.change(1);
      const changedAt = Date.now();
      const target = (await ask(origin.url, { method: 'GET', path }, TO_ORIGIN)).etag;
      assert.notEqual(target, before);
      let seen = before;
      while (seen !== target && Date.now() - changedAt < REFRESH_MS + 1000) {
        seen = (await ask(edge.url, { method: 'GET', path }, AS_CALLER)).etag;
        if (seen !== target) await new Promise((r) => setTimeout(r, 25));
      }
      const took = Date.now() - changedAt;
      assert.equal(seen, target, `the edge still served the old version after ${took} ms`);
      // And every answer is the new data's.
      assertSameAnswers(
        await answersOf(edge.url, AS_CALLER, origin),
        await answersOf(origin.url, TO_ORIGIN, origin),
        origin,
      );
    });

    it(
      keepsConnections ? "follows the origin's change stream" : 'opens no stream (work is request-scoped)',
      () => {
        const streams = origin.hits.get('/internal/v1/evaluation/snapshot/namespace/default/stream') ?? 0;
        if (keepsConnections) assert.ok(streams > 0, 'the stream was opened');
        else assert.equal(streams, 0);
      },
    );

    it('keeps answering from its last snapshot with the origin stopped, and says so', async () => {
      const expected = await answersOf(edge.url, AS_CALLER, origin);
      await origin.stop();
      // Past refreshMs, so the next request tries (and fails) to revalidate behind itself.
      await new Promise((r) => setTimeout(r, REFRESH_MS + 50));
      await ask(edge.url, apiRequests(origin.data)[0]!, AS_CALLER);
      const deadline = Date.now() + 5000;
      let stale: string | null = null;
      while (stale === null && Date.now() < deadline) {
        const response = await fetch(`${edge.url}/health`);
        stale = response.headers.get('x-ensign-stale');
        const health = (await response.json()) as {
          status: string;
          storage: { state: string; error?: string };
        };
        assert.equal(response.status, 200);
        assert.equal(health.status, 'SERVING');
        if (stale === null) await new Promise((r) => setTimeout(r, 50));
        else {
          assert.equal(health.storage.state, 'degraded');
          assert.match(health.storage.error ?? '', /origin sync failed/);
        }
      }
      assert.notEqual(stale, null, 'the stale header appears once the origin fails');
      const during = await answersOf(edge.url, AS_CALLER, origin);
      assertSameAnswers(during, expected, origin);
      const one = await fetch(`${edge.url}/evaluate/v1/variant`, {
        method: 'POST',
        headers: AS_CALLER,
        body: JSON.stringify({ flagKey: origin.data.variantFlags[0], entityId: 'u' }),
      });
      assert.equal(one.status, 200);
      assert.match(one.headers.get('x-ensign-stale') ?? '', /^\d+$/);
    });
  });
}
