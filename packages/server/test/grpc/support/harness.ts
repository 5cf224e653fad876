import type { Hono } from 'hono';
import { defaultConfig } from '../../../src/config/index.ts';
import { type RunningGrpcServer, startGrpcServer } from '../../../src/grpc/index.ts';
import { createApp } from '../../../src/http/app.ts';
import { createMetrics } from '../../../src/observability/metrics.ts';
import { unaryFastPath } from './fast-path-mode.ts';
import { staticSource } from './fixture-source.ts';

// One gRPC server and one in-process REST app over the same fixture source and metrics, so a
// test can ask both transports the same question.

const quiet = { error() {}, warn() {} };

export interface Harness {
  readonly address: string;
  readonly grpc: RunningGrpcServer;
  readonly rest: Hono;
  /** JSON body and status of a REST call. */
  restJson(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<RestAnswer>;
  close(): Promise<void>;
}

export interface RestAnswer {
  status: number;
  body: Record<string, unknown>;
}

export async function startHarness(): Promise<Harness> {
  const source = staticSource();
  const metrics = createMetrics(source);
  const grpc = await startGrpcServer({
    host: '127.0.0.1',
    port: 0,
    source,
    logger: quiet,
    metrics,
    unaryFastPath,
  });
  const rest = createApp({ source, config: defaultConfig(), logger: quiet, metrics });
  return {
    address: `127.0.0.1:${grpc.port}`,
    grpc,
    rest,
    async restJson(method, path, body, headers = {}) {
      const init: RequestInit = { method, headers: { 'content-type': 'application/json', ...headers } };
      if (body !== undefined) init.body = JSON.stringify(body);
      const res = await rest.request(path, init);
      const text = await res.text();
      return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
    },
    close: () => grpc.close(1000),
  };
}
