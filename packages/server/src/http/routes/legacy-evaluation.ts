import { legacyBatchRequestOf, legacyRequestOf } from '@ensign/core';
import type { Context, Hono } from 'hono';
import type { HttpDeps } from '../deps.ts';
import { readJson } from '../json-body.ts';
import { json } from '../respond.ts';

// The deprecated flipt.Flipt/Evaluate and BatchEvaluate routes, namespaced and not. Decoding
// (a namespace in the path wins over one in the body) is core's, shared with the edge.

export function registerLegacyEvaluationRoutes(app: Hono, deps: HttpDeps): void {
  const { legacyEvaluation } = deps.services;
  const limit = deps.bodyLimit;

  const evaluate = async (c: Context) => {
    const request = legacyRequestOf(await readJson(c, limit), c.req.param('namespaceKey'));
    return json(c, legacyEvaluation.evaluate(request));
  };

  const batchEvaluate = async (c: Context) => {
    const request = legacyBatchRequestOf(await readJson(c, limit), c.req.param('namespaceKey'));
    return json(c, legacyEvaluation.batchEvaluate(request));
  };

  app.post('/api/v1/evaluate', evaluate);
  app.post('/api/v1/namespaces/:namespaceKey/evaluate', evaluate);
  app.post('/api/v1/batch-evaluate', batchEvaluate);
  app.post('/api/v1/namespaces/:namespaceKey/batch-evaluate', batchEvaluate);
}
