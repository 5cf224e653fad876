import { createHash } from 'node:crypto';
import { invalidArgument } from '@ensign/core';
import type { Context, Hono } from 'hono';
import { classifyError, ofrepErrorBody } from '../../errors/mapping.ts';
import { ifNoneMatchMatches } from '../../service/etag.ts';
import type { OfrepContext } from '../../service/ofrep.ts';
import type { HttpDeps } from '../deps.ts';
import { readJson } from '../json-body.ts';
import { json, jsonText, stringify, wantsPretty } from '../respond.ts';
import { streamPathOf } from './stream.ts';

// OFREP (docs/ofrep.md). Errors use OFREP's body, not Flipt's gateway body.
// The namespace comes from X-Flipt-Namespace (empty means default). The bulk ETag is a weak
// validator over the evaluated result: W/"<sha1 of the response body>", so it changes exactly
// when what this caller would see changes (flags, variants, values), and If-None-Match → 304.

async function contextOf(c: Context, limit: number): Promise<OfrepContext> {
  const body = await readJson(c, limit);
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw invalidArgument('request body must be a JSON object');
  const context = (body as Record<string, unknown>)['context'];
  if (context === undefined || context === null) return {};
  if (typeof context !== 'object' || Array.isArray(context))
    throw invalidArgument('context must be an object');
  return context as OfrepContext;
}

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
      const context = await contextOf(c, limit);
      return json(c, ofrep.evaluateFlag(c.req.header('x-flipt-namespace'), key, context));
    } catch (error) {
      return ofrepFailure(c, deps, error, key);
    }
  });

  app.post('/ofrep/v1/evaluate/flags', async (c) => {
    try {
      const context = await contextOf(c, limit);
      const namespace = c.req.header('x-flipt-namespace') || 'default';
      const result = {
        ...ofrep.evaluateBulk(namespace, context),
        // OFREP ADR-0008: providers that understand SSE re-fetch on push instead of polling.
        eventStreams: [
          { type: 'sse', endpoint: { requestUri: streamPathOf(namespace) }, inactivityDelaySec: 120 },
        ],
      };
      const text = JSON.stringify(result);
      const etag = `W/"${createHash('sha1').update(text).digest('hex')}"`;
      if (ifNoneMatchMatches(c.req.header('if-none-match'), etag)) {
        return new Response(null, { status: 304, headers: { etag } });
      }
      return jsonText(c, wantsPretty(c) ? stringify(c, result) : text, 200, { etag });
    } catch (error) {
      return ofrepFailure(c, deps, error);
    }
  });
}
