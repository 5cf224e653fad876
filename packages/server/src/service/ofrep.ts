// OFREP's service lives in core, shared with the edge handler.
export {
  createOfrepService,
  type OfrepBulkResult,
  type OfrepConfiguration,
  type OfrepContext,
  type OfrepEvaluatedFlag,
  type OfrepReason,
  type OfrepService,
} from '@ensign/core';
