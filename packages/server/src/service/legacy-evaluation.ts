// The legacy evaluate services live in core, shared with the edge handler.
export {
  createLegacyEvaluationService,
  type LegacyBatchEvaluationRequest,
  type LegacyBatchEvaluationResponse,
  type LegacyEvaluationReason,
  type LegacyEvaluationRequest,
  type LegacyEvaluationResponse,
  type LegacyEvaluationService,
} from '@ensign/core';
