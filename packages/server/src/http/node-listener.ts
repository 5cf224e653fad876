import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { getRequestListener } from '@hono/node-server';
import { classifyError, fliptErrorBody, PayloadTooLargeError } from '../errors/mapping.ts';
import { type CreateAppOptions, createApp, createHttpDeps } from './app.ts';
import type { HttpDeps } from './deps.ts';
import { decodeMessage, parseJsonBody } from './json-body.ts';
import { EVALUATION_REQUEST, withDefaults } from './routes/evaluation.ts';

// The node:http entry point. The two single-evaluation routes are the hot path, and translating
// node's request into a web Request and back costs more than the evaluation itself (measured:
// 0.46x of a bare node:http server through the Hono adapter; see bench/README.md). So they are
// answered here directly, with the same decoding, service and error mapping as the Hono routes;
// everything else (and these routes when CORS or pretty-printing needs the full treatment) goes to Hono.

const FAST_ROUTES: Readonly<Record<string, 'variant' | 'boolean'>> = {
  '/evaluate/v1/variant': 'variant',
  '/evaluate/v1/boolean': 'boolean',
};

export function createNodeListener(options: CreateAppOptions): RequestListener {
  const deps = createHttpDeps(options);
  const app = createApp(options, deps);
  const honoListener = getRequestListener(app.fetch);
  const viaHono: RequestListener = (req, res) => {
    // HTTP/1.0 clients such as load balancers' health probes send no Host header; the web
    // Request handed to Hono needs one, and the routes never read it.
    if (req.headers.host === undefined) req.headers.host = 'localhost';
    return honoListener(req, res);
  };
  if (options.config.cors.enabled) return viaHono;
  return (req, res) => {
    const route = req.method === 'POST' && req.url !== undefined ? FAST_ROUTES[req.url] : undefined;
    // Indented output (Accept: application/json+pretty, or ?pretty) is Hono's job.
    if (route === undefined || req.headers.accept?.includes('json+pretty')) return viaHono(req, res);
    readBody(req, deps.bodyLimit).then(
      (bytes) => evaluate(deps, route, bytes, res),
      (error: unknown) => fail(deps, error, res),
    );
  };
}

function evaluate(
  deps: HttpDeps,
  route: 'variant' | 'boolean',
  bytes: Uint8Array,
  res: ServerResponse,
): void {
  try {
    const request = withDefaults(decodeMessage(parseJsonBody(bytes), EVALUATION_REQUEST));
    const { evaluation } = deps.services;
    const result = route === 'variant' ? evaluation.variant(request) : evaluation.boolean(request);
    send(res, 200, JSON.stringify(result));
  } catch (error) {
    fail(deps, error, res);
  }
}

function fail(deps: HttpDeps, error: unknown, res: ServerResponse): void {
  const classified = classifyError(error);
  if (!classified.expected) {
    deps.logger.error({ err: error }, 'request failed');
    deps.metrics.serverError();
  }
  send(res, classified.httpStatus, JSON.stringify(fliptErrorBody(classified.grpcCode, classified.message)));
}

function send(res: ServerResponse, status: number, body: string): void {
  if (res.headersSent) return;
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function readBody(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    return Promise.reject(new PayloadTooLargeError(limit));
  }
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        reject(new PayloadTooLargeError(limit));
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
