import { flagNotFound, invalidArgument } from '../errors/index.ts';
import type { VariantEvaluationResponse } from '../evaluation/types.ts';
import { namespaceKeyOf } from './namespace-key.ts';
import { elapsedMs, requestIdOr, timestampNow } from './request-meta.ts';
import type { EvaluationMetrics, ServingSnapshot, SnapshotReader } from './serving-snapshot.ts';

// The deprecated flipt.Flipt/Evaluate and BatchEvaluate (docs/evaluation.md). They run the
// same variant evaluation as v2 but validate their input, use the legacy reason enum and
// response shape (value, attachment, segmentKey), and have their own batch rules.

export type LegacyEvaluationReason =
  | 'UNKNOWN_EVALUATION_REASON'
  | 'FLAG_DISABLED_EVALUATION_REASON'
  | 'FLAG_NOT_FOUND_EVALUATION_REASON'
  | 'MATCH_EVALUATION_REASON'
  | 'ERROR_EVALUATION_REASON'
  | 'DEFAULT_EVALUATION_REASON';

export interface LegacyEvaluationRequest {
  requestId?: string;
  flagKey: string;
  entityId: string;
  context?: Record<string, string>;
  namespaceKey?: string;
}

export interface LegacyEvaluationResponse {
  requestId: string;
  entityId: string;
  requestContext: Record<string, string>;
  match: boolean;
  flagKey: string;
  /** Deprecated by Flipt: the first matched segment. */
  segmentKey: string;
  timestamp: string;
  value: string;
  requestDurationMillis: number;
  attachment: string;
  reason: LegacyEvaluationReason;
  namespaceKey: string;
  segmentKeys: string[];
}

export interface LegacyBatchEvaluationRequest {
  requestId?: string;
  requests: LegacyEvaluationRequest[];
  excludeNotFound?: boolean;
  namespaceKey?: string;
}

export interface LegacyBatchEvaluationResponse {
  requestId: string;
  responses: LegacyEvaluationResponse[];
  requestDurationMillis: number;
}

export interface LegacyEvaluationService {
  evaluate(request: LegacyEvaluationRequest): LegacyEvaluationResponse;
  batchEvaluate(request: LegacyBatchEvaluationRequest): LegacyBatchEvaluationResponse;
}

/** Flipt's `EvaluationRequest.Validate`: flagKey, then entityId. */
function validate(request: LegacyEvaluationRequest): void {
  if (!request.flagKey) throw invalidArgument('invalid field flagKey: must not be empty');
  if (!request.entityId) throw invalidArgument('invalid field entityId: must not be empty');
}

function toLegacy(
  request: LegacyEvaluationRequest,
  nsKey: string,
  r: VariantEvaluationResponse,
): LegacyEvaluationResponse {
  return {
    requestId: '',
    entityId: request.entityId,
    requestContext: request.context ?? {},
    match: r.match,
    flagKey: r.flagKey,
    segmentKey: r.segmentKeys[0] ?? '',
    timestamp: '',
    value: r.variantKey,
    requestDurationMillis: 0,
    attachment: r.variantAttachment,
    // v2 and legacy reasons share their names for every value the v2 evaluator produces.
    reason: r.reason,
    namespaceKey: nsKey,
    segmentKeys: r.segmentKeys,
  };
}

export function createLegacyEvaluationService(deps: {
  source: SnapshotReader;
  metrics: EvaluationMetrics;
}): LegacyEvaluationService {
  const { source, metrics } = deps;

  function evaluateOne(snapshot: ServingSnapshot, request: LegacyEvaluationRequest, nsKey: string) {
    const start = performance.now();
    const ns = snapshot.namespace(nsKey);
    if (!ns) throw flagNotFound(nsKey, request.flagKey);
    const r = ns.evaluator.variant({
      flagKey: request.flagKey,
      entityId: request.entityId,
      namespaceKey: nsKey,
      context: request.context ?? {},
    });
    const response = toLegacy(request, nsKey, r);
    const ms = elapsedMs(start);
    metrics.evaluated(
      nsKey,
      request.flagKey,
      {
        match: r.match,
        segment: r.segmentKeys.join(','),
        reason: r.reason,
        value: r.variantKey,
        type: 'variant',
      },
      ms,
    );
    response.timestamp = timestampNow();
    response.requestDurationMillis = ms;
    return response;
  }

  return {
    evaluate(request) {
      validate(request);
      try {
        const response = evaluateOne(source.current(), request, namespaceKeyOf(request.namespaceKey));
        response.requestId = requestIdOr(request.requestId);
        return response;
      } catch (error) {
        metrics.evaluationFailed();
        throw error;
      }
    },

    batchEvaluate(request) {
      const start = performance.now();
      const nsKey = namespaceKeyOf(request.namespaceKey);
      // Validation covers the whole batch before anything is evaluated, as Flipt's does.
      for (const inner of request.requests) {
        if (inner.namespaceKey && namespaceKeyOf(inner.namespaceKey) !== nsKey) {
          throw invalidArgument(
            'invalid field namespace_key: must be the same for all requests if specified',
          );
        }
        validate(inner);
      }
      const snapshot = source.current();
      const ns = snapshot.namespace(nsKey);
      const responses: LegacyEvaluationResponse[] = [];
      for (const inner of request.requests) {
        if (!ns?.evaluator.hasFlag(inner.flagKey)) {
          metrics.evaluationFailed();
          if (request.excludeNotFound) continue;
          throw flagNotFound(nsKey, inner.flagKey);
        }
        const response = evaluateOne(snapshot, inner, nsKey);
        // Only the batch carries an id.
        response.requestId = '';
        responses.push(response);
      }
      return {
        requestId: requestIdOr(request.requestId),
        responses,
        requestDurationMillis: elapsedMs(start),
      };
    },
  };
}
