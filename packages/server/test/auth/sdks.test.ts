import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { EnsignClient } from '@ensign/client';
import { ClientTokenAuthentication, FliptClient as RestClient } from '@flipt-io/flipt';
import { FliptClient as EngineClient } from '@flipt-io/flipt-client-js';
import { type AuthServer, startAuthServer } from './harness.ts';

// Flipt's own SDKs and Ensign's client work unchanged against a server requiring a token.

let s: AuthServer;
let token: string;

before(async () => {
  s = await startAuthServer();
  token = await s.mint({ name: 'sdk' });
});
after(() => s.close());

describe('SDKs with a client token', () => {
  it('@flipt-io/flipt evaluates and lists with the token, and is refused without it', async () => {
    const client = new RestClient({
      url: s.url,
      authenticationStrategy: new ClientTokenAuthentication(token),
    });
    const bool = await client.evaluation.boolean({
      namespaceKey: 'team',
      flagKey: 'on',
      entityId: 'e',
      context: {},
    });
    assert.equal(bool.enabled, true);
    const flags = await client.flags.listFlags('default');
    assert.deepEqual(flags.flags.map((f) => f.key).sort(), ['color', 'on']);

    const anonymous = new RestClient({ url: s.url });
    await assert.rejects(
      anonymous.evaluation.boolean({ namespaceKey: 'team', flagKey: 'on', entityId: 'e', context: {} }),
      /request was not authenticated/,
    );
  });

  it('@flipt-io/flipt-client-js fetches the snapshot with the token', async () => {
    const client = await EngineClient.init({
      url: s.url,
      namespace: 'team',
      authentication: { clientToken: token },
    });
    try {
      assert.equal(client.evaluateBoolean({ flagKey: 'on', entityId: 'e', context: {} }).enabled, true);
      assert.equal(client.listFlags().length, 2);
    } finally {
      client.close();
    }
    await assert.rejects(
      EngineClient.init({ url: s.url, namespace: 'team', authentication: { clientToken: 'wrong' } }),
    );
  });

  it('@ensign/client fetches, streams and evaluates with the token', async () => {
    const client = await EnsignClient.init({
      url: s.url,
      namespace: 'team',
      authentication: { clientToken: token },
      updateInterval: 0,
    });
    try {
      assert.equal(client.evaluateBoolean({ flagKey: 'on', entityId: 'e', context: {} }).enabled, true);
    } finally {
      client.close();
    }
    await assert.rejects(
      EnsignClient.init({
        url: s.url,
        namespace: 'team',
        authentication: { clientToken: 'wrong' },
        updateInterval: 0,
      }),
    );
  });
});
