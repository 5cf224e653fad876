import {
  batchRequestOf,
  createClientSnapshotService,
  createEvaluationService,
  createLegacyEvaluationService,
  createOfrepService,
  evaluationRequestOf,
  ifNoneMatchMatches,
  legacyBatchRequestOf,
  legacyRequestOf,
  noMetrics,
  ofrepBulkBody,
  ofrepContextOf,
  parseJsonBody,
  readBodyLimited,
  routingPath,
  type SnapshotReader,
} from '@ensign/core/api';
import { fliptErrorBody, GrpcCode } from '@ensign/core/errors';
import { fliptErrorResponse, jsonResponse, ofrepErrorResponse } from './respond.ts';

// The evaluation API as the server routes it (same paths, decoding, services and error bodies),
// without a router library: a handful of fixed paths and three with a parameter.

export interface RouteContext {
  readonly request: Request;
  readonly url: URL;
  readonly pretty: boolean;
}

export type Route = (ctx: RouteContext, param: string) => Promise<Response> | Response;

interface RouteTable {
  /** Exact path → method → route. */
  exact: Map<string, Map<string, Route>>;
  /** Paths with one parameter, tried in order. */
  patterns: Array<{ pattern: RegExp; method: string; route: Route }>;
}

export function createRoutes(
  reader: SnapshotReader,
  bodyLimit: number,
  extra: (table: RouteBuilder) => void,
): Router {
  const evaluation = createEvaluationService({ source: reader, metrics: noMetrics });
  const legacy = createLegacyEvaluationService({ source: reader, metrics: noMetrics });
  const ofrep = createOfrepService({ source: reader, evaluation });
  const clientSnapshot = createClientSnapshotService({ source: reader });
  const body = async (ctx: RouteContext) => parseJsonBody(await readBodyLimited(ctx.request, bodyLimit));

  const table = new RouteBuilder();
  const json = (ctx: RouteContext, value: unknown) => jsonResponse(value, ctx.pretty);

  table.exact('POST', '/evaluate/v1/variant', async (c) =>
    json(c, evaluation.variant(evaluationRequestOf(await body(c)))),
  );
  table.exact('POST', '/evaluate/v1/boolean', async (c) =>
    json(c, evaluation.boolean(evaluationRequestOf(await body(c)))),
  );
  table.exact('POST', '/evaluate/v1/batch', async (c) =>
    json(c, evaluation.batch(batchRequestOf(await body(c)))),
  );

  const evaluate: Route = async (c, ns) =>
    json(c, legacy.evaluate(legacyRequestOf(await body(c), ns || undefined)));
  const batchEvaluate: Route = async (c, ns) =>
    json(c, legacy.batchEvaluate(legacyBatchRequestOf(await body(c), ns || undefined)));
  table.exact('POST', '/api/v1/evaluate', evaluate);
  table.exact('POST', '/api/v1/batch-evaluate', batchEvaluate);
  table.pattern('POST', /^\/api\/v1\/namespaces\/([^/]+)\/evaluate$/, evaluate);
  table.pattern('POST', /^\/api\/v1\/namespaces\/([^/]+)\/batch-evaluate$/, batchEvaluate);

  table.exact('GET', '/ofrep/v1/configuration', (c) => json(c, ofrep.configuration()));
  table.pattern('POST', /^\/ofrep\/v1\/evaluate\/flags\/([^/]+)$/, async (c, key) => {
    try {
      const context = ofrepContextOf(await body(c));
      return json(
        c,
        ofrep.evaluateFlag(c.request.headers.get('x-flipt-namespace') ?? undefined, key, context),
      );
    } catch (error) {
      return ofrepErrorResponse(error, c.pretty, key);
    }
  });
  table.exact('POST', '/ofrep/v1/evaluate/flags', async (c) => {
    try {
      const context = ofrepContextOf(await body(c));
      const namespace = c.request.headers.get('x-flipt-namespace') || 'default';
      const bulk = await ofrepBulkBody(ofrep.evaluateBulk(namespace, context), namespace);
      const etag = bulk.etag;
      if (ifNoneMatchMatches(c.request.headers.get('if-none-match'), etag)) {
        return new Response(null, { status: 304, headers: { etag } });
      }
      return c.pretty
        ? jsonResponse(bulk.value, true, 200, { etag })
        : new Response(bulk.text, { status: 200, headers: { 'content-type': 'application/json', etag } });
    } catch (error) {
      return ofrepErrorResponse(error, c.pretty);
    }
  });

  table.pattern('GET', /^\/internal\/v1\/evaluation\/snapshot\/namespace\/([^/]+)$/, (c, key) => {
    const result = clientSnapshot.get({
      key,
      acceptServerVersion: c.request.headers.get('x-flipt-accept-server-version') ?? undefined,
      ifNoneMatch: c.request.headers.get('if-none-match') ?? undefined,
    });
    const headers: Record<string, string> = result.etag ? { etag: result.etag } : {};
    if (result.notModified) return new Response(null, { status: 304, headers });
    headers['content-type'] = 'application/json';
    return new Response(result.body.json, { status: 200, headers });
  });

  extra(table);
  return new Router(table.build());
}

export class RouteBuilder {
  readonly #table: RouteTable = { exact: new Map(), patterns: [] };

  exact(method: string, path: string, route: Route): void {
    const methods = this.#table.exact.get(path) ?? new Map<string, Route>();
    this.#table.exact.set(path, methods);
    methods.set(method, route);
  }

  pattern(method: string, pattern: RegExp, route: Route): void {
    this.#table.patterns.push({ pattern, method, route });
  }

  build(): RouteTable {
    return this.#table;
  }
}

export class Router {
  readonly #table: RouteTable;

  constructor(table: RouteTable) {
    this.#table = table;
  }

  /** The route's answer; errors become Flipt's body; unknown paths 404, wrong methods 405. */
  async handle(ctx: RouteContext): Promise<Response> {
    const path = routingPath(ctx.request);
    const method = ctx.request.method === 'HEAD' ? 'GET' : ctx.request.method;
    const allowed: string[] = [];
    const exact = this.#table.exact.get(path);
    let found: { route: Route; param: string } | undefined;
    if (exact) {
      const route = exact.get(method);
      if (route) found = { route, param: '' };
      else allowed.push(...exact.keys());
    } else {
      for (const { pattern, method: m, route } of this.#table.patterns) {
        const match = pattern.exec(path);
        if (!match) continue;
        if (m !== method) {
          allowed.push(m);
          continue;
        }
        found = { route, param: decodeParam(match[1]!) };
        break;
      }
    }
    try {
      if (found) return await found.route(ctx, found.param);
    } catch (error) {
      return fliptErrorResponse(error, ctx.pretty);
    }
    if (allowed.length > 0) {
      if (allowed.includes('GET')) allowed.push('HEAD');
      const response = jsonResponse(
        fliptErrorBody(GrpcCode.Unimplemented, 'Method Not Allowed'),
        ctx.pretty,
        405,
      );
      response.headers.set('allow', allowed.join(', '));
      return response;
    }
    return jsonResponse(fliptErrorBody(GrpcCode.NotFound, 'Not Found'), ctx.pretty, 404);
  }
}

function decodeParam(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
