import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { connect as connectH2 } from 'node:http2';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { create, toBinary } from '@bufbuild/protobuf';
import { EvaluationRequestSchema } from '../../src/grpc/gen/flipt/evaluation/evaluation_pb.js';
import { type AuthServer, BOOTSTRAP, send, startAuthServer } from './harness.ts';

// server.protocol: https with a certificate made here by openssl: REST on https_port, and gRPC
// (HTTP/2 by ALPN) plus Connect/gRPC-Web (HTTP/1.1) on grpc_port, all over TLS, with tokens.

const dir = mkdtempSync(join(tmpdir(), 'ensign-tls-'));
const certFile = join(dir, 'cert.pem');
const keyFile = join(dir, 'key.pem');
let ca: Buffer;
let s: AuthServer;

before(async () => {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:prime256v1',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=IP:127.0.0.1,DNS:localhost',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  ca = readFileSync(certFile);
  s = await startAuthServer(
    {
      server: {
        host: '127.0.0.1',
        protocol: 'https',
        https_port: 0,
        grpc_port: 0,
        cert_file: certFile,
        cert_key: keyFile,
      },
    },
    { ca },
  );
});
after(async () => {
  await s.close();
  rmSync(dir, { recursive: true, force: true });
});

const https = (url: string, method: string, body: string, headers: Record<string, string>) =>
  send(url, method, body, headers, ca);

const auth = { authorization: `Bearer ${BOOTSTRAP}`, 'content-type': 'application/json' };
const evaluation = JSON.stringify({ namespaceKey: 'team', flagKey: 'on', entityId: 'e' });

describe('https', () => {
  it('serves REST over TLS on https_port, the evaluation fast path included', async () => {
    assert.match(s.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    const ok = await https(`${s.url}/evaluate/v1/boolean`, 'POST', evaluation, auth);
    assert.equal(ok.status, 200);
    assert.equal((JSON.parse(ok.body) as { enabled: boolean }).enabled, true);
    const refused = await https(`${s.url}/evaluate/v1/boolean`, 'POST', evaluation, {});
    assert.equal(refused.status, 401);
    await assert.rejects(fetch(`${s.url.replace('https', 'http')}/health`), 'no plaintext on the TLS port');
  });

  it('serves gRPC over TLS with HTTP/2 negotiated by ALPN', async () => {
    const session = connectH2(`https://127.0.0.1:${s.server.grpcPort}`, { ca });
    try {
      const call = (headers: Record<string, string>) =>
        new Promise<string>((resolve, reject) => {
          const message = toBinary(
            EvaluationRequestSchema,
            create(EvaluationRequestSchema, { namespaceKey: 'team', flagKey: 'on', entityId: 'e' }),
          );
          const frame = Buffer.alloc(5 + message.length);
          frame.writeUInt32BE(message.length, 1);
          frame.set(message, 5);
          const stream = session.request({
            ':method': 'POST',
            ':path': '/flipt.evaluation.EvaluationService/Boolean',
            'content-type': 'application/grpc',
            te: 'trailers',
            ...headers,
          });
          let status = '';
          stream.on('response', (h) => {
            if (h['grpc-status'] !== undefined) status = String(h['grpc-status']);
          });
          stream.on('trailers', (t) => {
            status = String(t['grpc-status']);
          });
          stream.on('data', () => {});
          stream.on('error', reject);
          stream.on('close', () => resolve(status));
          stream.end(frame);
        });
      assert.equal(await call({ authorization: `Bearer ${BOOTSTRAP}` }), '0');
      assert.equal(await call({}), '16');
      assert.equal(session.alpnProtocol, 'h2');
    } finally {
      session.close();
    }
  });

  it('serves Connect over TLS with HTTP/1.1', async () => {
    const r = await https(
      `https://127.0.0.1:${s.server.grpcPort}/flipt.evaluation.EvaluationService/Boolean`,
      'POST',
      evaluation,
      auth,
    );
    assert.equal(r.status, 200, r.body);
    assert.equal((JSON.parse(r.body) as { enabled: boolean }).enabled, true);
  });
});
