import type { ServiceImpl } from '@connectrpc/connect';
import { atReference, type ServicesAt } from '../service/at-reference.ts';
import {
  batchResponseOf,
  booleanResponseOf,
  evaluationRequestOf,
  variantResponseOf,
} from './evaluation-mapping.ts';
import type { EvaluationService } from './gen/flipt/evaluation/evaluation_pb.js';

/**
 * flipt.evaluation.EvaluationService over the same service functions as /evaluate/v1, answered
 * from the snapshot at the request's `reference` when it names one.
 */
export function evaluationServiceImpl(at: ServicesAt): Partial<ServiceImpl<typeof EvaluationService>> {
  return {
    variant: (request) =>
      atReference(at, request.reference, ({ evaluation }) =>
        variantResponseOf(evaluation.variant(evaluationRequestOf(request))),
      ),
    boolean: (request) =>
      atReference(at, request.reference, ({ evaluation }) =>
        booleanResponseOf(evaluation.boolean(evaluationRequestOf(request))),
      ),
    batch: (request) =>
      atReference(at, request.reference, ({ evaluation }) =>
        batchResponseOf(
          evaluation.batch({
            requestId: request.requestId,
            requests: request.requests.map(evaluationRequestOf),
            reference: request.reference,
          }),
        ),
      ),
  };
}
