import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { RunningServer } from '../../server/src/run.ts';
import { startDatabaseServer } from '../../server/test/support/database-server.ts';
import { createEdgeHandler, type EdgeHandler } from '../src/index.ts';
import { sseText } from './support/sse-text.ts';

// A database-backed origin sends the change stream's `revision` event (an Ensign extension for
// management UIs). The edge relays the stream verbatim, so a UI behind it still gets the event,
// while the edge's own follow of the origin (the @ensign/client stream reader) skips it and keeps
// following versions.

const dir = mkdtempSync(join(tmpdir(), 'ensign-edge-revision-'));
const STREAM = '/internal/v1/evaluation/snapshot/namespace/default/stream';

describe('@ensign/edge and the revision event', () => {
  let origin: RunningServer;
  let handler: EdgeHandler;

  const write = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${origin.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, `${method} ${path}: ${await response.text()}`);
  };
  const enabled = async () => {
    const response = await handler.fetch(
      new Request('http://edge/evaluate/v1/boolean', {
        method: 'POST',
        body: JSON.stringify({ namespaceKey: 'default', flagKey: 'checkout', entityId: 'u1', context: {} }),
      }),
    );
    assert.equal(response.status, 200);
    return ((await response.json()) as { enabled: boolean }).enabled;
  };

  before(async () => {
    origin = await startDatabaseServer(`file:${join(dir, 'origin.db')}`, dir);
    await write('POST', '/api/v1/namespaces/default/flags', {
      key: 'checkout',
      name: 'Checkout',
      type: 'BOOLEAN_FLAG_TYPE',
      enabled: true,
    });
    // Polling far apart: within the test only the origin's stream can bring a change.
    handler = createEdgeHandler({ origin: origin.url, stream: true, refreshMs: 600_000 });
  });
  after(async () => {
    handler?.close();
    await origin?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('relays it to stream readers, and its own sync keeps following versions past it', async () => {
    assert.equal(await enabled(), true);
    const abort = new AbortController();
    const relayed = await handler.fetch(new Request(`http://edge${STREAM}`, { signal: abort.signal }));
    assert.equal(relayed.status, 200);
    const stream = sseText(relayed.body!);
    try {
      await stream.readUntil(/^id: /m);
      // Let the edge's own stream to the origin open before anything moves.
      await sleep(300);

      // A segment no flag uses: the revision moves, the version does not.
      await write('POST', '/api/v1/namespaces/default/segments', {
        key: 'idle',
        name: 'Idle',
        matchType: 'ALL_MATCH_TYPE',
      });
      await stream.readUntil(
        /^event: revision\ndata: \{"type":"revision","namespace":"default","revision":"\d+"\}$/m,
      );
      assert.equal(stream.text.match(/^id: /gm)?.length, 1, 'no new version');
      assert.equal(await enabled(), true);

      await write('PUT', '/api/v1/namespaces/default/flags/checkout', { name: 'Checkout', enabled: false });
      const deadline = Date.now() + 5000;
      while ((await enabled()) !== false) {
        assert.ok(Date.now() < deadline, 'the edge never followed the new version');
        await sleep(50);
      }
    } finally {
      abort.abort();
      await stream.cancel();
    }
  });
});
