import assert from 'node:assert/strict';
import { Agent, request } from 'node:http';
import { after, before, test } from 'node:test';
import { createSseParser, type SseEvent } from '../../../client/src/sse-parser.ts';
import { type Ensign, startEnsign, waitFor } from './harness.ts';

// The SSE endpoint on its own, read with fetch: first event, resume, heartbeats, per-namespace
// filtering, 404 and unsubscribing on disconnect.

const flagFile = (ns: string, enabled: boolean) =>
  `version: "1.4"\nnamespace: ${ns}\nflags:\n  - key: f\n    name: f\n    type: BOOLEAN_FLAG_TYPE\n    enabled: ${enabled}\n`;

let server: Ensign;
before(async () => {
  server = await startEnsign(
    { 'default.features.yml': flagFile('default', true), 'other.features.yml': flagFile('other', true) },
    { heartbeatMs: 100 },
  );
});
after(() => server.close());

interface Reader {
  events: SseEvent[];
  raw: string;
  close(): void;
}

async function open(
  path: string,
  headers: Record<string, string> = {},
): Promise<Reader & { status: number }> {
  const abort = new AbortController();
  const response = await fetch(server.url + path, { headers, signal: abort.signal });
  const reader: Reader & { status: number } = {
    status: response.status,
    events: [],
    raw: '',
    close: () => abort.abort(),
  };
  if (!response.ok || !response.body) return reader;
  assert.match(response.headers.get('content-type') ?? '', /^text\/event-stream/);
  const parser = createSseParser();
  const decoder = new TextDecoder();
  void (async () => {
    try {
      for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
        const text = decoder.decode(chunk, { stream: true });
        reader.raw += text;
        reader.events.push(...parser.push(text));
      }
    } catch {
      // aborted
    }
  })();
  return reader;
}

const etagOf = (ns: string) => server.source.current().namespace(ns)?.etag ?? '';
const path = (ns: string) => `/internal/v1/evaluation/snapshot/namespace/${ns}/stream`;

test('sends the current version on connect, then one event per change of that namespace', async () => {
  const stream = await open(path('default'));
  await waitFor(() => stream.events.length === 1, 'first event');
  const first = stream.events[0]!;
  assert.equal(first.id, etagOf('default'));
  const data = JSON.parse(first.data) as Record<string, unknown>;
  assert.equal(data.type, 'refetchEvaluation');
  assert.equal(data.namespace, 'default');
  assert.equal(data.etag, etagOf('default'));
  assert.equal(typeof data.lastModified, 'number');
  assert.match(stream.raw, /^retry: \d+\n: connected\n\n/);

  server.write('other.features.yml', flagFile('other', false));
  await server.reload();
  server.write('default.features.yml', flagFile('default', false));
  await server.reload();
  await waitFor(() => stream.events.length === 2, 'change event');
  assert.equal(stream.events[1]!.id, etagOf('default'));
  assert.notEqual(stream.events[1]!.id, first.id);
  await new Promise((r) => setTimeout(r, 150));
  assert.equal(stream.events.length, 2, 'the change of namespace "other" is not an event here');
  stream.close();
});

test('Last-Event-ID equal to the current version: no event, heartbeats only', async () => {
  const stream = await open(path('default'), { 'Last-Event-ID': etagOf('default') });
  await waitFor(() => stream.raw.includes(': heartbeat'), 'heartbeat');
  assert.equal(stream.events.length, 0);
  stream.close();
});

test('a stale Last-Event-ID gets the current version at once', async () => {
  const stream = await open(path('default'), { 'Last-Event-ID': 'stale' });
  await waitFor(() => stream.events.length === 1, 'resume event');
  assert.equal(stream.events[0]!.id, etagOf('default'));
  stream.close();
});

test('unknown namespace is a 404 in Flipt error shape', async () => {
  const response = await fetch(server.url + path('missing'));
  assert.equal(response.status, 404);
  assert.deepEqual(await response.json(), { code: 5, message: 'namespace "missing" not found', details: [] });
});

test('disconnecting drops the subscription', async () => {
  await waitFor(() => server.streamListeners() === 0, 'earlier streams cleaned up');
  const a = await open(path('default'));
  const b = await open(path('other'));
  await waitFor(() => server.streamListeners() === 2, 'two subscribers');
  a.close();
  b.close();
  await waitFor(() => server.streamListeners() === 0, 'subscribers released');
});

test('HEAD answers the headers and opens no subscription', async () => {
  await waitFor(() => server.streamListeners() === 0, 'earlier streams cleaned up');
  const agent = new Agent({ keepAlive: true });
  const { port } = new URL(server.url);
  const head = await new Promise<{ status: number; type: string }>((resolve, reject) => {
    request(
      { host: '127.0.0.1', port: Number(port), method: 'HEAD', path: path('default'), agent },
      (res) => {
        res.resume();
        res.on('end', () =>
          resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']) }),
        );
      },
    )
      .on('error', reject)
      .end();
  });
  assert.deepEqual(head, { status: 200, type: 'text/event-stream; charset=utf-8' });
  // The kept-alive connection stays open: no subscription may hang on it.
  assert.equal(server.streamListeners(), 0);
  agent.destroy();
});

test('the OFREP bulk response advertises the namespace stream, and the advertised URL streams', async () => {
  const response = await fetch(`${server.url}/ofrep/v1/evaluate/flags`, {
    method: 'POST',
    headers: { 'X-Flipt-Namespace': 'other' },
    body: JSON.stringify({ context: { targetingKey: 'user-1' } }),
  });
  const body = (await response.json()) as {
    eventStreams: { type: string; endpoint: { requestUri: string } }[];
  };
  assert.deepEqual(body.eventStreams, [
    { type: 'sse', endpoint: { requestUri: path('other') }, inactivityDelaySec: 120 },
  ]);
  const stream = await open(body.eventStreams[0]!.endpoint.requestUri);
  await waitFor(() => stream.events.length === 1, 'first event from the advertised stream');
  assert.equal(stream.events[0]!.id, etagOf('other'));
  stream.close();
});
