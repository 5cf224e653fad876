import { batchRequestOf, evaluationRequestOf } from '@ensign/core';
import type { Hono } from 'hono';
import type { HttpDeps } from '../deps.ts';
import { readJson } from '../json-body.ts';
import { json } from '../respond.ts';

// POST /evaluate/v1/variant|boolean|batch (docs/evaluation.md). The hot path: one handler,
// no middleware, decode → evaluate → stringify. Decoding is core's, shared with the edge.

export { EVALUATION_REQUEST, withDefaults } from '@ensign/core';

export function registerEvaluationRoutes(app: Hono, deps: HttpDeps): void {
  const limit = deps.bodyLimit;
  // A request naming a `reference` is answered from the snapshot at that reference.
  const evaluationAt = async (reference: string | undefined) => (await deps.servicesAt(reference)).evaluation;

  app.post('/evaluate/v1/variant', async (c) => {
    const request = evaluationRequestOf(await readJson(c, limit));
    return json(c, (await evaluationAt(request.reference)).variant(request));
  });

  app.post('/evaluate/v1/boolean', async (c) => {
    const request = evaluationRequestOf(await readJson(c, limit));
    return json(c, (await evaluationAt(request.reference)).boolean(request));
  });

  app.post('/evaluate/v1/batch', async (c) => {
    const request = batchRequestOf(await readJson(c, limit));
    return json(c, (await evaluationAt(request.reference)).batch(request));
  });
}
