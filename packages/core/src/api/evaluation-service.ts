import { flagNotFound } from '../errors/index.ts';
import type {
  BatchEvaluationRequest,
  BatchEvaluationResponse,
  BooleanEvaluationResponse,
  EvaluationRequest,
  EvaluationResponse,
  Evaluator,
  VariantEvaluationResponse,
} from '../evaluation/types.ts';
import { namespaceKeyOf } from './namespace-key.ts';
import { elapsedMs, requestIdOr, timestampNow } from './request-meta.ts';
import type {
  EvaluationMetrics,
  EvaluationResult,
  ServingSnapshot,
  SnapshotReader,
} from './serving-snapshot.ts';

// flipt.evaluation.EvaluationService: Variant, Boolean, Batch. One snapshot is read per call so
// a batch never mixes two versions. Request id, timestamp and duration are filled here (the
// evaluator leaves them empty), so REST and gRPC answer identically.

export interface EvaluationService {
  variant(request: EvaluationRequest): VariantEvaluationResponse;
  boolean(request: EvaluationRequest): BooleanEvaluationResponse;
  batch(request: BatchEvaluationRequest): BatchEvaluationResponse;
}

export interface EvaluationDeps {
  source: SnapshotReader;
  metrics: EvaluationMetrics;
}

function evaluatorFor(snapshot: ServingSnapshot, nsKey: string, flagKey: string) {
  const ns = snapshot.namespace(nsKey);
  // An unknown namespace reads as an unknown flag, like Flipt's store lookup.
  if (!ns) throw flagNotFound(nsKey, flagKey);
  return ns.evaluator;
}

function variantResult(r: VariantEvaluationResponse): EvaluationResult {
  return {
    match: r.match,
    segment: r.segmentKeys.length > 0 ? r.segmentKeys.join(',') : '',
    reason: r.reason,
    value: r.variantKey,
    type: 'variant',
  };
}

function booleanResult(r: BooleanEvaluationResponse): EvaluationResult {
  return {
    match: r.reason === 'MATCH_EVALUATION_REASON',
    segment: r.segmentKeys.length > 0 ? r.segmentKeys.join(',') : '',
    reason: r.reason,
    value: r.enabled ? 'true' : 'false',
    type: 'boolean',
  };
}

const evaluateVariant = (evaluator: Evaluator, request: EvaluationRequest) => evaluator.variant(request);
const evaluateBoolean = (evaluator: Evaluator, request: EvaluationRequest) => evaluator.boolean(request);

/** One evaluation with its request id, timestamp, duration and metrics filled in. */
function evaluateOne<R extends VariantEvaluationResponse | BooleanEvaluationResponse>(
  { source, metrics }: EvaluationDeps,
  request: EvaluationRequest,
  evaluate: (evaluator: Evaluator, request: EvaluationRequest) => R,
  resultOf: (response: R) => EvaluationResult,
): R {
  const start = performance.now();
  const nsKey = namespaceKeyOf(request.namespaceKey);
  let response: R;
  try {
    response = evaluate(evaluatorFor(source.current(), nsKey, request.flagKey), request);
  } catch (error) {
    metrics.evaluationFailed();
    throw error;
  }
  response.requestId = requestIdOr(request.requestId);
  response.timestamp = timestampNow();
  response.requestDurationMillis = elapsedMs(start);
  metrics.evaluated(nsKey, request.flagKey, resultOf(response), response.requestDurationMillis);
  return response;
}

export function createEvaluationService(deps: EvaluationDeps): EvaluationService {
  const { source, metrics } = deps;
  return {
    variant: (request) => evaluateOne(deps, request, evaluateVariant, variantResult),
    boolean: (request) => evaluateOne(deps, request, evaluateBoolean, booleanResult),

    batch(request) {
      const start = performance.now();
      const snapshot = source.current();
      const responses: EvaluationResponse[] = [];
      // Filled in after the loop: every inner response carries the batch's time and duration.
      const timed: Array<VariantEvaluationResponse | BooleanEvaluationResponse> = [];
      for (const inner of request.requests) {
        const nsKey = namespaceKeyOf(inner.namespaceKey);
        const ns = snapshot.namespace(nsKey);
        const flag = ns?.evaluator.flag(inner.flagKey);
        if (!ns || !flag) {
          metrics.evaluationFailed();
          responses.push({
            type: 'ERROR_EVALUATION_RESPONSE_TYPE',
            errorResponse: {
              flagKey: inner.flagKey,
              namespaceKey: nsKey,
              reason: 'NOT_FOUND_ERROR_EVALUATION_REASON',
            },
          });
          continue;
        }
        const itemStart = performance.now();
        if (flag.type === 'BOOLEAN_FLAG_TYPE') {
          const r = ns.evaluator.boolean(inner);
          r.requestId = inner.requestId ?? '';
          metrics.evaluated(nsKey, inner.flagKey, booleanResult(r), elapsedMs(itemStart));
          timed.push(r);
          responses.push({ type: 'BOOLEAN_EVALUATION_RESPONSE_TYPE', booleanResponse: r });
        } else {
          const r = ns.evaluator.variant(inner);
          r.requestId = inner.requestId ?? '';
          metrics.evaluated(nsKey, inner.flagKey, variantResult(r), elapsedMs(itemStart));
          timed.push(r);
          responses.push({ type: 'VARIANT_EVALUATION_RESPONSE_TYPE', variantResponse: r });
        }
      }
      const timestamp = timestampNow();
      const duration = elapsedMs(start);
      for (const r of timed) {
        r.timestamp = timestamp;
        r.requestDurationMillis = duration;
      }
      return { requestId: requestIdOr(request.requestId), responses, requestDurationMillis: duration };
    },
  };
}
