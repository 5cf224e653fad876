import type { BatchEvaluationRequest, EvaluationRequest } from '../evaluation/types.ts';
import { decodeMessage, type Schema } from './json-message.ts';
import type { LegacyBatchEvaluationRequest, LegacyEvaluationRequest } from './legacy-evaluation-service.ts';

// The evaluation API's request messages decoded from parsed JSON bodies, for every transport
// that takes JSON (the server's routes and fast path, the edge handler). A missing entityId or
// namespaceKey is accepted (docs/http-api.md); the services default the namespace to `default`.

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

const LEGACY_REQUEST: Schema = {
  requestId: 'string',
  flagKey: 'string',
  entityId: 'string',
  context: 'stringMap',
  namespaceKey: 'string',
};

const LEGACY_BATCH: Schema = {
  requestId: 'string',
  requests: { messages: LEGACY_REQUEST },
  excludeNotFound: 'bool',
  namespaceKey: 'string',
};

type Decoded = Partial<EvaluationRequest>;

/** Flipt's defaults for absent fields: empty strings. */
export function withDefaults(d: Decoded): EvaluationRequest {
  if (d.flagKey === undefined) d.flagKey = '';
  if (d.entityId === undefined) d.entityId = '';
  return d as EvaluationRequest;
}

export function evaluationRequestOf(body: unknown): EvaluationRequest {
  return withDefaults(decodeMessage<Decoded>(body, EVALUATION_REQUEST));
}

export function batchRequestOf(body: unknown): BatchEvaluationRequest {
  const decoded = decodeMessage<{ requestId?: string; requests?: Decoded[]; reference?: string }>(
    body,
    BATCH_REQUEST,
  );
  const request: BatchEvaluationRequest = { requests: (decoded.requests ?? []).map(withDefaults) };
  if (decoded.requestId !== undefined) request.requestId = decoded.requestId;
  if (decoded.reference !== undefined) request.reference = decoded.reference;
  return request;
}

type DecodedLegacy = Partial<LegacyEvaluationRequest>;

function withLegacyDefaults(d: DecodedLegacy): LegacyEvaluationRequest {
  return { ...d, flagKey: d.flagKey ?? '', entityId: d.entityId ?? '' };
}

/** A namespace in the path wins over one in the body, as grpc-gateway binds path params last. */
export function legacyRequestOf(body: unknown, pathNamespace?: string): LegacyEvaluationRequest {
  const request = withLegacyDefaults(decodeMessage<DecodedLegacy>(body, LEGACY_REQUEST));
  if (pathNamespace !== undefined) request.namespaceKey = pathNamespace;
  return request;
}

export function legacyBatchRequestOf(body: unknown, pathNamespace?: string): LegacyBatchEvaluationRequest {
  const decoded = decodeMessage<
    Partial<Omit<LegacyBatchEvaluationRequest, 'requests'>> & { requests?: DecodedLegacy[] }
  >(body, LEGACY_BATCH);
  const request: LegacyBatchEvaluationRequest = {
    ...decoded,
    requests: (decoded.requests ?? []).map(withLegacyDefaults),
  };
  if (pathNamespace !== undefined) request.namespaceKey = pathNamespace;
  return request;
}
