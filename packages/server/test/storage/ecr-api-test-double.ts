import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A TEST DOUBLE of Amazon ECR's API (there is no real ECR here): it answers only
 * GetAuthorizationToken, in ECR's JSON 1.1 protocol, on 127.0.0.1. It hands out `AWS:<password>`
 * tokens that expire after `tokenTtlMs`, to callers whose SigV4 signature names `accessKeyId`
 * (the signature itself is not verified); anyone else gets ECR's UnrecognizedClientException.
 * The token is a real registry password: the test's docker-registry accepts it through htpasswd.
 */
export interface EcrApiTestDouble {
  /** `http://127.0.0.1:PORT`, for AWS_ENDPOINT_URL_ECR. */
  endpoint: string;
  /** GetAuthorizationToken calls answered with a token. */
  readonly tokensIssued: number;
  close(): Promise<void>;
}

const TARGET = 'AmazonEC2ContainerRegistry_V20150921.GetAuthorizationToken';

export async function startEcrApiTestDouble(options: {
  accessKeyId: string;
  password: string;
  tokenTtlMs: number;
}): Promise<EcrApiTestDouble> {
  let tokensIssued = 0;
  const server: Server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      const reply = (status: number, body: object, errorType?: string) => {
        res.writeHead(status, {
          'content-type': 'application/x-amz-json-1.1',
          ...(errorType ? { 'x-amzn-errortype': errorType } : {}),
        });
        res.end(JSON.stringify(body));
      };
      if (req.method !== 'POST' || req.headers['x-amz-target'] !== TARGET) {
        reply(400, { __type: 'UnknownOperationException' }, 'UnknownOperationException');
        return;
      }
      const signedBy = /Credential=([^/]+)\//.exec(req.headers.authorization ?? '')?.[1];
      if (signedBy !== options.accessKeyId) {
        const message = 'The security token included in the request is invalid.';
        reply(400, { __type: 'UnrecognizedClientException', message }, 'UnrecognizedClientException');
        return;
      }
      tokensIssued++;
      const token = Buffer.from(`AWS:${options.password}`).toString('base64');
      reply(200, {
        authorizationData: [
          {
            authorizationToken: token,
            // ECR's JSON protocol gives times as epoch seconds.
            expiresAt: (Date.now() + options.tokenTtlMs) / 1000,
            proxyEndpoint: 'https://registry.test.invalid',
          },
        ],
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    get tokensIssued() {
      return tokensIssued;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
