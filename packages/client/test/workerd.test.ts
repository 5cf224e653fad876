import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { EdgeUnderTest } from '../../edge/test/support/conformance.ts';
import { ORIGIN_TOKEN, type Origin, startOrigin } from '../../edge/test/support/origin.ts';
import { startWorkerd, unavailable } from '../../edge/test/support/runtimes.ts';

// The client inside Cloudflare's runtime (workerd from npm), created once per isolate and used
// across requests. There, timers and streams die with the request that opened them, so the
// client must detect the runtime, refresh inside requests, and never claim to be streaming.

const REFRESH_MS = 500;

const WORKER = `
import { EnsignClient } from '@ensign/client';
let client;
export default {
  async fetch(request, env, ctx) {
    client ??= await EnsignClient.init({
      url: env.ORIGIN,
      authentication: { clientToken: env.ORIGIN_TOKEN },
      updateInterval: Number(env.REFRESH_MS) / 1000,
    });
    ctx.waitUntil(client.refreshIfStale());
    const flagKey = new URL(request.url).searchParams.get('flag');
    const r = client.evaluateVariant({ flagKey, entityId: 'user-1', context: { plan: 'pro' } });
    return Response.json({ etag: client.etag, streaming: client.streaming, variantKey: r.variantKey });
  },
};
`;

interface Answer {
  etag: string;
  streaming: boolean;
  variantKey: string;
}

describe('@ensign/client on workerd', { skip: unavailable('workerd') }, () => {
  let origin: Origin;
  let worker: EdgeUnderTest;

  before(async () => {
    origin = await startOrigin(2, 12);
    worker = await startWorkerd(
      { origin: origin.url, originToken: ORIGIN_TOKEN, callerToken: 'unused', refreshMs: REFRESH_MS },
      WORKER,
    );
  });

  after(async () => {
    await worker?.close();
    await origin?.close();
  });

  const ask = async (flag: string): Promise<Answer> => {
    const response = await fetch(`${worker.url}/?flag=${flag}`, { signal: AbortSignal.timeout(10_000) });
    assert.equal(response.status, 200, await response.clone().text());
    return (await response.json()) as Answer;
  };

  const originVariant = async (flagKey: string) => {
    const response = await fetch(`${origin.url}/evaluate/v1/variant`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ORIGIN_TOKEN}` },
      body: JSON.stringify({ flagKey, entityId: 'user-1', context: { plan: 'pro' } }),
    });
    return ((await response.json()) as { variantKey: string }).variantKey;
  };

  const originEtag = async () => {
    const response = await fetch(`${origin.url}/internal/v1/evaluation/snapshot/namespace/default`, {
      headers: { authorization: `Bearer ${ORIGIN_TOKEN}` },
    });
    await response.text();
    return response.headers.get('etag');
  };

  it('a change at the origin reaches the client across requests, and it never claims to stream', async () => {
    const flags = origin.data.variantFlags;
    const first = await ask(flags[0]!);
    assert.equal(first.etag, await originEtag());
    assert.equal(first.streaming, false);

    for (const generation of [1, 2]) {
      await origin.change(generation);
      const target = await originEtag();
      const changedAt = Date.now();
      let seen: Answer = first;
      while (seen.etag !== target && Date.now() - changedAt < REFRESH_MS + 1000) {
        seen = await ask(flags[0]!);
        assert.equal(seen.streaming, false, 'no stream survives a request here');
        if (seen.etag !== target) await new Promise((r) => setTimeout(r, 25));
      }
      assert.equal(
        seen.etag,
        target,
        `generation ${generation} not seen ${Date.now() - changedAt} ms after the change`,
      );
      for (const flag of flags) assert.equal((await ask(flag)).variantKey, await originVariant(flag), flag);
    }
  });
});
