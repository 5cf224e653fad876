import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { loadConfig } from '../../src/config/load.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { startServer } from '../../src/run.ts';
import { unaryClient } from '../grpc/support/grpc-client.ts';

// Tracing end to end: a server with `tracing.*` set sends its spans with the real OTLP/HTTP
// exporter to a receiver in this test. No OpenTelemetry collector can run here, so the receiver
// is a test double of one: it only collects the JSON the exporter posts to /v1/traces.

interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind: number;
  attributes: { key: string; value: { stringValue?: string; intValue?: string | number } }[];
}

function collectorDouble(): Promise<{ url: string; spans: OtlpSpan[]; server: Server }> {
  const spans: OtlpSpan[] = [];
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => (body += chunk));
    req.on('end', () => {
      if (req.url === '/v1/traces') {
        const payload = JSON.parse(body) as { resourceSpans: { scopeSpans: { spans: OtlpSpan[] }[] }[] };
        for (const resource of payload.resourceSpans)
          for (const scope of resource.scopeSpans) spans.push(...scope.spans);
      }
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () =>
      resolve({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, spans, server }),
    ),
  );
}

const dir = mkdtempSync(join(tmpdir(), 'ensign-tracing-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function configWith(env: Record<string, string>, db: string) {
  const { config } = loadConfig({ env });
  Object.assign(config.server, { host: '127.0.0.1', httpPort: 0, grpcPort: 0 });
  config.db.url = `file:${join(dir, db)}`;
  return config;
}

const attribute = (span: OtlpSpan, key: string) => {
  const value = span.attributes.find((a) => a.key === key)?.value;
  return value?.stringValue ?? (value?.intValue === undefined ? undefined : Number(value.intValue));
};

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736';
const PARENT_ID = '00f067aa0ba902b7';
const traceparent = `00-${TRACE_ID}-${PARENT_ID}-01`;

describe('tracing', () => {
  test('every transport path continues the caller trace and exports a server span', async () => {
    const collector = await collectorDouble();
    const server = await startServer(
      configWith(
        {
          ENSIGN_TRACING_ENABLED: 'true',
          ENSIGN_TRACING_OTLP_ENDPOINT: collector.url,
        },
        'traced.db',
      ),
      { logger: silentLogger() },
    );
    try {
      const created = await fetch(`${server.url}/api/v1/namespaces/default/flags`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', traceparent },
        body: JSON.stringify({ key: 'traced', name: 'Traced', type: 'BOOLEAN_FLAG_TYPE', enabled: true }),
      });
      assert.equal(created.status, 200);
      const evaluated = await fetch(`${server.url}/evaluate/v1/boolean`, {
        method: 'POST',
        headers: { traceparent },
        body: JSON.stringify({ flagKey: 'traced', entityId: 'e' }),
      });
      assert.equal(evaluated.status, 200);
      const grpc = unaryClient(`127.0.0.1:${server.grpcPort}`, 'flipt.evaluation.EvaluationService');
      try {
        await grpc['Boolean']!({ flagKey: 'traced', entityId: 'e' }, { traceparent });
      } finally {
        grpc.close();
      }
    } finally {
      // Closing flushes the spans still buffered.
      await server.close();
      collector.server.close();
    }
    const byName = new Map(collector.spans.map((s) => [s.name, s]));
    const write = byName.get('POST /api/v1/namespaces/default/flags');
    const evaluation = byName.get('POST /evaluate/v1/boolean');
    const rpc = byName.get('flipt.evaluation.EvaluationService/Boolean');
    assert.ok(write && evaluation && rpc, `spans received: ${[...byName.keys()].join(', ')}`);
    for (const span of [write, evaluation, rpc]) {
      assert.equal(span.traceId, TRACE_ID, `${span.name} continues the caller's trace`);
      assert.equal(span.parentSpanId, PARENT_ID);
      assert.equal(span.kind, 2, 'a server span');
    }
    assert.equal(attribute(evaluation, 'http.response.status_code'), 200);
    assert.equal(attribute(write, 'http.request.method'), 'POST');
    assert.equal(attribute(rpc, 'rpc.system'), 'grpc');
    assert.equal(attribute(rpc, 'rpc.grpc.status_code'), 0);
  });

  test('sampling_ratio 0 records no new trace but keeps a sampled caller decision', async () => {
    const collector = await collectorDouble();
    const server = await startServer(
      configWith(
        {
          ENSIGN_TRACING_ENABLED: 'true',
          ENSIGN_TRACING_EXPORTER: 'otlp',
          ENSIGN_TRACING_OTLP_ENDPOINT: collector.url,
          ENSIGN_TRACING_SAMPLING_RATIO: '0',
        },
        'sampled.db',
      ),
      { logger: silentLogger() },
    );
    try {
      for (const headers of [{}, { traceparent }] as Record<string, string>[])
        await (
          await fetch(`${server.url}/evaluate/v1/boolean`, {
            method: 'POST',
            headers,
            body: JSON.stringify({ flagKey: 'nope', entityId: 'e' }),
          })
        ).arrayBuffer();
    } finally {
      await server.close();
      collector.server.close();
    }
    assert.deepEqual(
      collector.spans.map((s) => s.traceId),
      [TRACE_ID],
    );
  });

  test('configuration Ensign cannot honour stops the server with the key named', () => {
    const refused = [
      [{ ENSIGN_TRACING_EXPORTER: 'zipkin' }, /tracing.exporter "zipkin" is not supported yet/],
      [
        { ENSIGN_TRACING_ENABLED: 'true', ENSIGN_TRACING_OTLP_ENDPOINT: 'collector:4317' },
        /OTLP over gRPC is not supported yet/,
      ],
      [{ ENSIGN_TRACING_ENABLED: 'true', ENSIGN_TRACING_PROPAGATORS: 'b3' }, /b3 is not supported yet/],
      [{ ENSIGN_TRACING_SAMPLING_RATIO: '2' }, /between 0 and 1/],
    ] as const;
    for (const [env, message] of refused)
      assert.throws(() => loadConfig({ env }), message, JSON.stringify(env));
  });
});
