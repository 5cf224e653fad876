import { ifNoneMatchMatches, ofrepBulkBody, ofrepContextOf } from '@ensign/core';
import type { Context, Hono } from 'hono';
import { classifyError, ofrepErrorBody } from '../../errors/mapping.ts';
import type { HttpDeps } from '../deps.ts';
import { readJson } from '../json-body.ts';
import { json, jsonText, stringify, wantsPretty } from '../respond.ts';

// OFREP (docs/ofrep.md). Errors use OFREP's body, not Flipt's gateway body.
// The namespace comes from X-Flipt-Namespace (empty means default). The bulk body and its weak
// ETag are framed by core (api/ofrep-wire.ts), shared with the edge; If-None-Match → 304.

function ofrepFailure(c: Context, deps: HttpDeps, error: unknown, key?: string): Response {
  const classified = classifyError(error);
  if (!classified.expected) {
    deps.logger.error({ err: error, path: c.req.path }, 'OFREP request failed');
    deps.metrics.serverError();
  }
  return new Response(stringify(c, ofrepErrorBody(classified, key)), {
    status: classified.httpStatus,
    headers: { 'content-type': 'application/json' },
  });
}

export function registerOfrepRoutes(app: Hono, deps: HttpDeps): void {
  const { ofrep } = deps.services;
  const limit = deps.bodyLimit;

  app.get('/ofrep/v1/configuration', (c) => json(c, ofrep.configuration()));

  app.post('/ofrep/v1/evaluate/flags/:key', async (c) => {
    const key = c.req.param('key');
    try {
      const context = ofrepContextOf(await readJson(c, limit));
      return json(c, ofrep.evaluateFlag(c.req.header('x-flipt-namespace'), key, context));
    } catch (error) {
      return ofrepFailure(c, deps, error, key);
    }
  });

  app.post('/ofrep/v1/evaluate/flags', async (c) => {
    try {
      const context = ofrepContextOf(await readJson(c, limit));
      const namespace = c.req.header('x-flipt-namespace') || 'default';
      const bulk = await ofrepBulkBody(ofrep.evaluateBulk(namespace, context), namespace);
      const etag = bulk.etag;
      if (ifNoneMatchMatches(c.req.header('if-none-match'), etag)) {
        return new Response(null, { status: 304, headers: { etag } });
      }
      return jsonText(c, wantsPretty(c) ? stringify(c, bulk.value) : bulk.text, 200, { etag });
    } catch (error) {
      return ofrepFailure(c, deps, error);
    }
  });
}
