import { batchRequestOf, evaluationRequestOf } from '@ensign/core';
import type { Hono } from 'hono';
import type { HttpDeps } from '../deps.ts';
import { readJson } from '../json-body.ts';
import { json } from '../respond.ts';

// POST /evaluate/v1/variant|boolean|batch (docs/evaluation.md). The hot path: one handler,
// no middleware, decode → evaluate → stringify. Decoding is core's, shared with the edge.

export { EVALUATION_REQUEST, withDefaults } from '@ensign/core';

export function registerEvaluationRoutes(app: Hono, deps: HttpDeps): void {
  const { evaluation } = deps.services;
  const limit = deps.bodyLimit;

  app.post('/evaluate/v1/variant', async (c) => {
    return json(c, evaluation.variant(evaluationRequestOf(await readJson(c, limit))));
  });

  app.post('/evaluate/v1/boolean', async (c) => {
    return json(c, evaluation.boolean(evaluationRequestOf(await readJson(c, limit))));
  });

  app.post('/evaluate/v1/batch', async (c) => {
    return json(c, evaluation.batch(batchRequestOf(await readJson(c, limit))));
  });
}
