import type { BatchEvaluationRequest, EvaluationRequest } from '@ensign/core';
import type { Hono } from 'hono';
import type { HttpDeps } from '../deps.ts';
import { decodeMessage, readJson, type Schema } from '../json-body.ts';
import { json } from '../respond.ts';

// POST /evaluate/v1/variant|boolean|batch (docs/evaluation.md). The hot path: one handler,
// no middleware, decode → evaluate → stringify. A missing entityId or namespaceKey is accepted
// (docs/http-api.md); the namespace then defaults to `default` in the service.

export const EVALUATION_REQUEST: Schema = {
  requestId: 'string',
  namespaceKey: 'string',
  flagKey: 'string',
  entityId: 'string',
  context: 'stringMap',
  reference: 'string',
};

const BATCH_REQUEST: Schema = {
  requestId: 'string',
  requests: { messages: EVALUATION_REQUEST },
  reference: 'string',
};

type Decoded = Partial<EvaluationRequest>;

/** Flipt's defaults for absent fields: empty strings. */
export function withDefaults(d: Decoded): EvaluationRequest {
  if (d.flagKey === undefined) d.flagKey = '';
  if (d.entityId === undefined) d.entityId = '';
  return d as EvaluationRequest;
}

export function registerEvaluationRoutes(app: Hono, deps: HttpDeps): void {
  const { evaluation } = deps.services;
  const limit = deps.bodyLimit;

  app.post('/evaluate/v1/variant', async (c) => {
    const request = withDefaults(decodeMessage<Decoded>(await readJson(c, limit), EVALUATION_REQUEST));
    return json(c, evaluation.variant(request));
  });

  app.post('/evaluate/v1/boolean', async (c) => {
    const request = withDefaults(decodeMessage<Decoded>(await readJson(c, limit), EVALUATION_REQUEST));
    return json(c, evaluation.boolean(request));
  });

  app.post('/evaluate/v1/batch', async (c) => {
    const decoded = decodeMessage<{ requestId?: string; requests?: Decoded[]; reference?: string }>(
      await readJson(c, limit),
      BATCH_REQUEST,
    );
    const request: BatchEvaluationRequest = {
      requests: (decoded.requests ?? []).map(withDefaults),
    };
    if (decoded.requestId !== undefined) request.requestId = decoded.requestId;
    if (decoded.reference !== undefined) request.reference = decoded.reference;
    return json(c, evaluation.batch(request));
  });
}
