import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { openChangeStream } from '../../../client/src/change-stream.ts';
import { createSseParser, type SseEvent } from '../../../client/src/sse-parser.ts';
import type { RunningServer } from '../../src/run.ts';
import { startDatabaseServer } from '../support/database-server.ts';
import { waitFor } from './harness.ts';

// The `revision` event (an Ensign extension) on a database-backed server: every committed change
// moves it, including those that leave the snapshot ETag alone, and version-only readers (the
// @ensign/client change stream, which the edge relay's origin sync also uses) ignore it.

const dir = mkdtempSync(join(tmpdir(), 'ensign-revision-event-'));
let server: RunningServer;

before(async () => {
  server = await startDatabaseServer(`file:${join(dir, 'flags.db')}`, dir);
});
after(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

const streamPath = '/internal/v1/evaluation/snapshot/namespace/default/stream';

async function rest(method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, `${method} ${path}: ${await response.text()}`);
}

async function etag(): Promise<string> {
  const response = await fetch(`${server.url}/internal/v1/evaluation/snapshot/namespace/default`);
  await response.arrayBuffer();
  return response.headers.get('etag') ?? '';
}

function follow(): { events: SseEvent[]; close(): void } {
  const abort = new AbortController();
  const reader = { events: [] as SseEvent[], close: () => abort.abort() };
  void (async () => {
    try {
      const response = await fetch(server.url + streamPath, { signal: abort.signal });
      const parser = createSseParser();
      const decoder = new TextDecoder();
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>)
        reader.events.push(...parser.push(decoder.decode(chunk, { stream: true })));
    } catch {
      // aborted
    }
  })();
  return reader;
}

const revisions = (events: SseEvent[]) =>
  events.filter((e) => e.type === 'revision').map((e) => JSON.parse(e.data) as Record<string, unknown>);
const versions = (events: SseEvent[]) => events.filter((e) => e.type === 'message');

test('a change evaluation never sees moves the revision, not the ETag; version readers ignore it', async () => {
  const flags = '/api/v1/namespaces/default/flags';
  await rest('POST', flags, { key: 'checkout', name: 'Checkout', enabled: true, description: 'one' });
  const stream = follow();
  const seen: string[] = [];
  const client = openChangeStream({
    url: server.url + streamPath,
    headers: {},
    idleTimeoutMs: 10_000,
    reconnectDelayMs: { initial: 50, max: 200 },
    lastEventId: () => seen.at(-1),
    onVersion: (tag) => seen.push(tag),
  });
  try {
    await waitFor(() => versions(stream.events).length === 1 && seen.length === 1, 'first version');
    const before = await etag();
    assert.equal(revisions(stream.events).length, 0, 'no revision event at connect');

    // A variant no rule uses and a segment no flag uses: the evaluation document is unchanged.
    await rest('POST', `${flags}/checkout/variants`, { key: 'unused' });
    await rest('POST', '/api/v1/namespaces/default/segments', {
      key: 'idle',
      name: 'Idle',
      matchType: 'ALL_MATCH_TYPE',
    });
    await waitFor(() => revisions(stream.events).length === 2, 'two revision events');
    assert.equal(await etag(), before, 'the ETag did not move');
    assert.equal(versions(stream.events).length, 1, 'no version event');
    const [first, second] = revisions(stream.events);
    assert.equal(first!.type, 'revision');
    assert.equal(first!.namespace, 'default');
    assert.equal(typeof first!.revision, 'string');
    assert.notEqual(first!.revision, second!.revision);
    // Last-Event-ID stays the ETag: the named events carry no id of their own.
    assert.equal(stream.events.at(-1)!.id, before.replaceAll('"', ''));

    // The client took neither for a version, and still follows the stream.
    assert.equal(seen.length, 1);
    await rest('PUT', `${flags}/checkout`, { name: 'Checkout', enabled: false, description: 'one' });
    await waitFor(() => seen.length === 2, 'the next version reaches the client');
    assert.equal(seen[1], (await etag()).replaceAll('"', ''));
    await waitFor(() => revisions(stream.events).length === 3, 'an evaluation change moves both');
    assert.equal(versions(stream.events).length, 2);
  } finally {
    client.close();
    stream.close();
  }
});
