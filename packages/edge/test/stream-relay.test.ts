import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createEdgeHandler, type EdgeHandler } from '../src/index.ts';
import { ORIGIN_TOKEN, type Origin, startOrigin } from './support/origin.ts';
import { sseText } from './support/sse-text.ts';

// The change stream OFREP's bulk answer advertises (and the client SDK looks for) is relayed from
// the origin, with the origin's token, so push works through the edge too.

describe('@ensign/edge relays the change stream', () => {
  let origin: Origin;
  let handler: EdgeHandler;

  before(async () => {
    origin = await startOrigin(5, 6);
    handler = createEdgeHandler({ origin: origin.url, token: ORIGIN_TOKEN, stream: false });
  });

  after(async () => {
    handler.close();
    await origin.close();
  });

  it("announces the origin's current version, then each new one", async () => {
    const abort = new AbortController();
    const response = await handler.fetch(
      new Request('http://edge/internal/v1/evaluation/snapshot/namespace/default/stream', {
        signal: abort.signal,
      }),
    );
    assert.equal(response.status, 200);
    assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
    const stream = sseText(response.body!);
    const snapshot = await handler.fetch(
      new Request('http://edge/internal/v1/evaluation/snapshot/namespace/default'),
    );
    const etag = snapshot.headers.get('etag')!;
    await stream.readUntil(new RegExp(`id: ${etag}`));
    await origin.change(1);
    const next = await fetch(`${origin.url}/internal/v1/evaluation/snapshot/namespace/default`, {
      headers: { authorization: `Bearer ${ORIGIN_TOKEN}` },
    });
    await next.text();
    await stream.readUntil(new RegExp(`id: ${next.headers.get('etag')}`));
    abort.abort();
    await stream.cancel();
  });
});
