import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { connect as connectH2 } from 'node:http2';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveConfig } from '../../src/config/load.ts';
import type { Config } from '../../src/config/types.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { type RunningServer, startServer } from '../../src/run.ts';

// A real server with authentication required, database storage in a fresh SQLite file (the auth
// store shares it), the bootstrap token from config, and two namespaces each holding a boolean
// flag `on` and a variant flag `color`.

export const BOOTSTRAP = 's3cr3t';

export interface AuthServer {
  server: RunningServer;
  url: string;
  grpcUrl: string;
  config: Config;
  /** Mints a token with the bootstrap token. */
  mint(body?: Record<string, unknown>): Promise<string>;
  close(): Promise<void>;
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function startAuthServer(
  extra: Record<string, unknown> = {},
  options: { ca?: Buffer } = {},
): Promise<AuthServer> {
  const dir = mkdtempSync(join(tmpdir(), 'ensign-auth-'));
  const document = {
    log: { level: 'error' },
    server: { host: '127.0.0.1', http_port: 0, grpc_port: 0 },
    storage: { type: 'database' },
    db: { url: `file:${join(dir, 'ensign.db')}` },
    authentication: {
      required: true,
      methods: { token: { enabled: true, bootstrap: { token: BOOTSTRAP } } },
      ...((extra['authentication'] as object | undefined) ?? {}),
    },
    ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'authentication')),
  };
  const { config } = resolveConfig(document, { env: {}, cwd: dir });
  const server = await startServer(config, { logger: silentLogger(), shutdownGracePeriodMs: 500 });
  const url = server.url;
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await send(
      `${url}${path}`,
      method,
      body === undefined ? undefined : JSON.stringify(body),
      {
        ...bearer(BOOTSTRAP),
        'content-type': 'application/json',
      },
      options.ca,
    );
    if (response.status !== 200) throw new Error(`${method} ${path}: ${response.status} ${response.body}`);
    return JSON.parse(response.body) as Record<string, unknown>;
  };
  try {
    await call('POST', '/api/v1/namespaces', { key: 'team', name: 'Team' });
    for (const ns of ['default', 'team']) {
      await call('POST', `/api/v1/namespaces/${ns}/flags`, {
        key: 'on',
        name: 'On',
        type: 'BOOLEAN_FLAG_TYPE',
        enabled: true,
      });
      await call('POST', `/api/v1/namespaces/${ns}/flags`, { key: 'color', name: 'Color', enabled: true });
      await call('POST', `/api/v1/namespaces/${ns}/flags/color/variants`, { key: 'blue' });
    }
  } catch (error) {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    server,
    url,
    grpcUrl: `http://127.0.0.1:${server.grpcPort}`,
    config,
    async mint(body = {}) {
      const created = await call('POST', '/auth/v1/method/token', { name: 'test', ...body });
      return created['clientToken'] as string;
    },
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A plain gRPC unary call over HTTP/2 (the server's raw fast path); resolves with grpc-status. */
export function grpcStatus(
  grpcUrl: string,
  path: string,
  message: Uint8Array = new Uint8Array(),
  headers: Record<string, string> = {},
): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const session = connectH2(grpcUrl);
    session.on('error', reject);
    const frame = Buffer.alloc(5 + message.length);
    frame.writeUInt32BE(message.length, 1);
    frame.set(message, 5);
    const stream = session.request({
      ':method': 'POST',
      ':path': path,
      'content-type': 'application/grpc',
      te: 'trailers',
      ...headers,
    });
    let status: string | undefined;
    const chunks: Buffer[] = [];
    stream.on('response', (h) => {
      if (h['grpc-status'] !== undefined) status = String(h['grpc-status']);
    });
    stream.on('trailers', (t) => {
      if (t['grpc-status'] !== undefined) status = String(t['grpc-status']);
    });
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('error', reject);
    stream.on('close', () => {
      session.close();
      resolve({ status: Number(status ?? -1), body: Buffer.concat(chunks) });
    });
    stream.end(frame);
  });
}

/** A Connect-protocol unary call over HTTP/1.1 (served by Connect, not the fast path). */
export async function connectCall(
  grpcUrl: string,
  path: string,
  body: unknown = {},
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown> }> {
  const response = await fetch(`${grpcUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    // Unknown methods answer plain text.
  }
  return { status: response.status, json };
}

/** One HTTP(S) request; `ca` trusts a test certificate. */
export function send(
  url: string,
  method: string,
  body: string | undefined,
  headers: Record<string, string>,
  ca?: Buffer,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = url.startsWith('https:') ? httpsRequest : httpRequest;
    const req = request(url, { method, headers, ...(ca ? { ca } : {}) }, (res) => {
      let text = '';
      res.on('data', (chunk: Buffer) => {
        text += chunk.toString();
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}
