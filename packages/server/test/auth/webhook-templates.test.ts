import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { type AuthServer, BOOTSTRAP, bearer, startAuthServer } from './harness.ts';
import { Receiver, until } from './receiver.ts';

// audit.sinks.webhook.templates with a real HTTP receiver: each write arrives at every template's
// URL as the body its template renders, with the template's headers; a body that does not come
// out as JSON is not sent and is counted as dropped.

const receiver = new Receiver();
let s: AuthServer;

const SLACK_LIKE = `{
  "text": "{{ .Metadata.Actor.Authentication }} {{ .Action }} {{ .Type }} {{ .Payload.Key }} in {{ .Payload.NamespaceKey }}",
  "actor": {{ toJson .Metadata.Actor }},
  "payload": {{ toJson .Payload }}
}`;

before(async () => {
  await receiver.start();
  const base = `http://127.0.0.1:${receiver.port}`;
  s = await startAuthServer({
    audit: {
      sinks: {
        webhook: {
          enabled: true,
          templates: [
            {
              url: `${base}/slack`,
              body: SLACK_LIKE,
              headers: { Authorization: 'Bearer hook-token', 'X-Env': 'test' },
            },
            { url: `${base}/flat`, body: '{"kind": "{{ .Type }}/{{ .Action }}", "at": "{{ .Timestamp }}"}' },
            // Renders a bare word for flags: not JSON, so never sent.
            { url: `${base}/broken`, body: '{{ .Type }}' },
          ],
        },
      },
      buffer: { capacity: 1, flush_period: '50ms' },
      events: ['flag:*'],
    },
  });
});
after(async () => {
  await s?.close();
  await receiver.stop();
});

describe('webhook templates', () => {
  it('send each write to every template URL as its rendered body, with its headers', async () => {
    // The harness created four flags before this test.
    await until(() => receiver.received.filter((r) => r.path === '/slack').length >= 4);
    const response = await fetch(`${s.url}/api/v1/namespaces/team/flags`, {
      method: 'POST',
      headers: { ...bearer(BOOTSTRAP), 'content-type': 'application/json' },
      body: JSON.stringify({ key: 'templated', name: 'Templated' }),
    });
    assert.equal(response.status, 200);
    await until(() => receiver.received.some((r) => r.path === '/slack' && r.body.includes('templated')));
    const slack = receiver.received.find((r) => r.path === '/slack' && r.body.includes('templated'))!;
    const sent = JSON.parse(slack.body);
    assert.equal(sent.text, 'token created flag templated in team');
    assert.deepEqual(sent.actor, { authentication: 'token', ip: '127.0.0.1' });
    assert.equal(sent.payload.namespaceKey, 'team');
    assert.equal(sent.payload.key, 'templated');
    assert.equal(slack.headers.authorization, 'Bearer hook-token');
    assert.equal(slack.headers['x-env'], 'test');
    assert.equal(slack.headers['content-type'], 'application/json');

    await until(() => receiver.received.filter((r) => r.path === '/flat').length >= 5);
    const flat = receiver.received.filter((r) => r.path === '/flat').map((r) => JSON.parse(r.body));
    assert.ok(flat.every((e) => e.kind === 'flag/created' && !Number.isNaN(Date.parse(e.at))));
  });

  it('count a body that is not JSON as dropped instead of sending it', async () => {
    let dropped = 0;
    for (let i = 0; i < 100 && dropped < 5; i++) {
      const text = await (await fetch(`${s.url}/metrics`, { headers: bearer(BOOTSTRAP) })).text();
      dropped = Number(/ensign_audit_events_dropped_total\{sink="webhook"\} (\d+)/.exec(text)?.[1] ?? 0);
      if (dropped < 5) await new Promise((r) => setTimeout(r, 50));
    }
    assert.equal(dropped, 5);
    assert.equal(receiver.received.filter((r) => r.path === '/broken').length, 0);
  });
});
