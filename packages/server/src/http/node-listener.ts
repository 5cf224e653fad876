import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { EvaluationRequest } from '@ensign/core';
import { type Authentication, clientIp, runAs } from '../auth/index.ts';
import { classifyError, fliptErrorBody, PayloadTooLargeError } from '../errors/mapping.ts';
import type { Services } from '../service/index.ts';
import type { HttpDeps } from './deps.ts';
import { healthOf } from './health.ts';
import { type CreateAppOptions, createHttpDeps } from './http-deps.ts';
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
  // The Hono app (every route, the protobuf descriptors the management routes use, the web
  // Request/Response classes the adapter needs) loads on the first request that needs it: a
  // server whose traffic is evaluations starts without it (see bench/README.md, "Single
  // executable and footprint"). Requests arriving meanwhile wait for it, unread.
  let hono: Promise<RequestListener> | undefined;
  const viaHono: RequestListener = (req, res) => {
    hono ??= import('./hono-listener.ts').then(
      ({ honoListener }) => honoListener(options, deps),
      (error: unknown) => {
        hono = undefined; // the next request tries again
        throw error;
      },
    );
    hono.then(
      (listener) => listener(req, res),
      (error: unknown) => {
        req.resume();
        fail(deps, error, res);
      },
    );
  };
  // CSRF protection looks at every write's origin; Hono's gate does that.
  if (options.config.cors.enabled || options.config.authentication.session.csrf.key) return viaHono;
  const { auth } = deps;
  return (req, res) => {
    // Health probes, answered without the app unless the auth gate has a say.
    if (req.url === '/health' && req.method === 'GET' && auth === undefined && !pretty(req)) {
      const health = healthOf(deps.source);
      req.resume();
      send(res, health.status, JSON.stringify(health.body));
      return;
    }
    const route = req.method === 'POST' && req.url !== undefined ? FAST_ROUTES[req.url] : undefined;
    if (route === undefined || pretty(req)) return viaHono(req, res);
    if (auth === undefined) {
      readBody(req, deps.bodyLimit, (error, bytes) => {
        if (error === undefined) evaluate(deps, route, bytes!, res);
        else fail(deps, error, res);
      });
      return;
    }
    // The same gate as Hono's, before anything is evaluated.
    let identity: ReturnType<typeof auth.gate.authenticate>;
    try {
      identity = auth.gate.authenticate('evaluation', (name) => headerOf(req, name), true);
    } catch (error) {
      req.resume();
      fail(deps, error, res);
      return;
    }
    const ip = clientIp(headerOf(req, 'x-forwarded-for'), req.socket.remoteAddress);
    const answer = (caller: Authentication | undefined, bytes: Uint8Array) =>
      runAs({ identity: caller, ip }, () => evaluate(deps, route, bytes, res));
    const failed = (error: unknown) => fail(deps, error, res);
    // A cached token answers synchronously; only a store lookup makes this wait.
    if (identity instanceof Promise) {
      Promise.all([identity, bodyOf(req, deps.bodyLimit)]).then(
        ([caller, bytes]) => answer(caller, bytes),
        failed,
      );
    } else {
      readBody(req, deps.bodyLimit, (error, bytes) => {
        if (error === undefined) answer(identity, bytes!);
        else failed(error);
      });
    }
  };
}

/** Indented output (Accept: application/json+pretty, or ?pretty, which no fast route matches) is Hono's job. */
function pretty(req: IncomingMessage): boolean {
  return req.headers.accept?.includes('json+pretty') === true;
}

function headerOf(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

function evaluate(
  deps: HttpDeps,
  route: 'variant' | 'boolean',
  bytes: Uint8Array,
  res: ServerResponse,
): void {
  try {
    const request = withDefaults(decodeMessage(parseJsonBody(bytes), EVALUATION_REQUEST));
    const services = deps.servicesAt(request.reference);
    if (services instanceof Promise) {
      services.then(
        (pinned) => answer(pinned, route, request, res),
        (error: unknown) => fail(deps, error, res),
      );
      return;
    }
    answer(services, route, request, res);
  } catch (error) {
    fail(deps, error, res);
  }
}

function answer(
  services: Services,
  route: 'variant' | 'boolean',
  request: EvaluationRequest,
  res: ServerResponse,
) {
  const { evaluation } = services;
  const result = route === 'variant' ? evaluation.variant(request) : evaluation.boolean(request);
  send(res, 200, JSON.stringify(result));
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

/**
 * The request body, refused past `limit` bytes. A callback, not a promise: on the evaluation
 * path a promise and its reactions were most of what the server allocated beyond Node's own
 * request handling (bench/allocation.ts).
 */
function readBody(
  req: IncomingMessage,
  limit: number,
  done: (error: unknown, bytes: Uint8Array | undefined) => void,
): void {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) {
    req.resume();
    done(new PayloadTooLargeError(limit), undefined);
    return;
  }
  let first: Buffer | undefined;
  let more: Buffer[] | undefined;
  let size = 0;
  let settled = false;
  const onData = (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      req.removeListener('data', onData);
      req.resume();
      settled = true;
      done(new PayloadTooLargeError(limit), undefined);
      return;
    }
    if (first === undefined) first = chunk;
    else if (more === undefined) more = [first, chunk];
    else more.push(chunk);
  };
  req.on('data', onData);
  req.on('end', () => {
    if (settled) return;
    settled = true;
    done(undefined, more ? Buffer.concat(more) : (first ?? EMPTY));
  });
  req.on('error', (error) => {
    if (settled) return;
    settled = true;
    done(error, undefined);
  });
}

const EMPTY = new Uint8Array(0);

function bodyOf(req: IncomingMessage, limit: number): Promise<Uint8Array> {
  return new Promise((resolve, reject) =>
    readBody(req, limit, (error, bytes) => (error === undefined ? resolve(bytes!) : reject(error))),
  );
}
