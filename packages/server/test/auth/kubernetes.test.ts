import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { create, fromBinary, toBinary } from '@bufbuild/protobuf';
import {
  VerifyServiceAccountRequestSchema,
  VerifyServiceAccountResponseSchema,
} from '../../src/grpc/gen/flipt/auth/auth_pb.js';
import { type AuthServer, BOOTSTRAP, bearer, connectCall, grpcStatus, startAuthServer } from './harness.ts';
import { AUDIENCE, type KubernetesDouble, startKubernetesDouble } from './kubernetes-test-double.ts';

// The kubernetes method against a test double of the cluster's discovery and JWKS endpoints
// (HTTPS, cluster CA generated for the test): a pod's service-account token is traded for a
// client token that works on the API until the service-account token expires; tokens from
// another issuer, for another audience, expired, or signed by an unknown key get 401.

const PATH = '/auth/v1/method/kubernetes/serviceaccount';
let cluster: KubernetesDouble;
let s: AuthServer;

function kubernetesConfig(discoveryUrl: string) {
  return {
    authentication: {
      // The harness's token method stays on: the bootstrap token seeds flags and lists tokens.
      methods: {
        token: { enabled: true, bootstrap: { token: BOOTSTRAP } },
        kubernetes: {
          enabled: true,
          discovery_url: discoveryUrl,
          ca_path: cluster.caPath,
          service_account_token_path: cluster.tokenPath,
          audiences: [AUDIENCE],
        },
      },
    },
  };
}

before(async () => {
  cluster = await startKubernetesDouble();
  s = await startAuthServer(kubernetesConfig(cluster.url));
});
after(async () => {
  await s?.close();
  await cluster?.close();
});

function exchange(serviceAccountToken: string, url = s.url) {
  return fetch(`${url}${PATH}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ serviceAccountToken }),
  });
}

describe('the kubernetes method', () => {
  it('trades a valid service-account token for a client token that works on the API', async () => {
    const response = await exchange(await cluster.mint({ expiresIn: 1800 }));
    assert.equal(response.status, 200);
    const body = (await response.json()) as {
      clientToken: string;
      authentication: { method: string; expiresAt: string; metadata: Record<string, string> };
    };
    assert.equal(body.authentication.method, 'METHOD_KUBERNETES');
    assert.deepEqual(body.authentication.metadata, {
      'io.flipt.auth.k8s.namespace': 'shop',
      'io.flipt.auth.k8s.pod.name': 'checkout-7d9f',
      'io.flipt.auth.k8s.pod.uid': 'pod-uid-1',
      'io.flipt.auth.k8s.serviceaccount.name': 'checkout',
      'io.flipt.auth.k8s.serviceaccount.uid': 'sa-uid-1',
    });
    // Expires with the service-account token (whole seconds: a JWT's exp).
    const expires = Date.parse(body.authentication.expiresAt);
    assert.ok(Math.abs(expires - (Date.now() + 1_800_000)) < 10_000, body.authentication.expiresAt);

    const flags = await fetch(`${s.url}/api/v1/namespaces/default/flags`, {
      headers: bearer(body.clientToken),
    });
    assert.equal(flags.status, 200);
    const self = (await (
      await fetch(`${s.url}/auth/v1/self`, { headers: bearer(body.clientToken) })
    ).json()) as {
      method: string;
    };
    assert.equal(self.method, 'METHOD_KUBERNETES');
    // Discovery and JWKS were asked with the pod's own token from service_account_token_path.
    assert.ok(cluster.seenBearers.length >= 2);
    assert.ok(cluster.seenBearers.every((b) => b === 'ensign-pod-own-token'));
  });

  it('answers 401 for another issuer, another audience, an expired token or an unknown key', async () => {
    const cases = {
      issuer: await cluster.mint({ issuer: 'https://other-cluster.example' }),
      audience: await cluster.mint({ audience: 'vault' }),
      expired: await cluster.mint({ expiresIn: -600 }),
      'unknown key': await cluster.mint({ unknownKey: true }),
      'forged signature': await cluster.mint({ forgedKey: true }),
      'not a JWT': 'not-a-jwt',
    };
    for (const [what, token] of Object.entries(cases)) {
      const response = await exchange(token);
      assert.equal(response.status, 401, what);
      assert.deepEqual(await response.json(), {
        code: 16,
        message: 'request was not authenticated',
        details: [],
      });
    }
    const empty = await exchange('');
    assert.equal(empty.status, 400);
    // The service-account token itself is not a client token.
    const raw = await fetch(`${s.url}/api/v1/namespaces/default/flags`, {
      headers: bearer(await cluster.mint()),
    });
    assert.equal(raw.status, 401);
  });

  it('is listed as enabled and served over gRPC (Connect) as well', async () => {
    const methods = (await (await fetch(`${s.url}/auth/v1/method`)).json()) as {
      methods: { method: string; enabled: boolean }[];
    };
    assert.equal(methods.methods.find((m) => m.method === 'METHOD_KUBERNETES')?.enabled, true);
    const grpc = await connectCall(
      s.grpcUrl,
      '/flipt.auth.AuthenticationMethodKubernetesService/VerifyServiceAccount',
      { serviceAccountToken: await cluster.mint() },
    );
    assert.equal(grpc.status, 200);
    const token = grpc.json['clientToken'] as string;
    const authentication = grpc.json['authentication'] as { method: string };
    assert.equal(authentication.method, 'METHOD_KUBERNETES');
    const flags = await fetch(`${s.url}/api/v1/namespaces/default/flags`, { headers: bearer(token) });
    assert.equal(flags.status, 200);
    const bad = await connectCall(
      s.grpcUrl,
      '/flipt.auth.AuthenticationMethodKubernetesService/VerifyServiceAccount',
      { serviceAccountToken: await cluster.mint({ expiresIn: -600 }) },
    );
    assert.equal(bad.status, 401);
    assert.equal(bad.json['code'], 'unauthenticated');
    // Plain gRPC over HTTP/2 as well: OK with a client token, UNAUTHENTICATED for a bad token.
    const method = '/flipt.auth.AuthenticationMethodKubernetesService/VerifyServiceAccount';
    const request = async (serviceAccountToken: string) =>
      grpcStatus(
        s.grpcUrl,
        method,
        toBinary(
          VerifyServiceAccountRequestSchema,
          create(VerifyServiceAccountRequestSchema, { serviceAccountToken }),
        ),
      );
    const ok = await request(await cluster.mint());
    assert.equal(ok.status, 0);
    const reply = fromBinary(VerifyServiceAccountResponseSchema, ok.body.subarray(5));
    assert.ok(reply.clientToken.length > 20);
    assert.equal(reply.authentication?.metadata['io.flipt.auth.k8s.serviceaccount.name'], 'checkout');
    assert.equal((await request(await cluster.mint({ issuer: 'https://elsewhere' }))).status, 16);
    // The minted tokens show up in the token list, as Flipt's do.
    const list = (await (
      await fetch(`${s.url}/auth/v1/tokens?method=METHOD_KUBERNETES`, { headers: bearer(BOOTSTRAP) })
    ).json()) as { authentications: unknown[] };
    assert.ok(list.authentications.length >= 2);
  });

  it('answers 503 while the cluster API is unreachable, and keeps serving', async () => {
    const down = await startAuthServer(kubernetesConfig('https://127.0.0.1:1'));
    try {
      const response = await exchange(await cluster.mint(), down.url);
      assert.equal(response.status, 503);
      const health = await fetch(`${down.url}/health`);
      assert.equal(health.status, 200);
    } finally {
      await down.close();
    }
  });
});
