// The evaluation services live in core, shared with the edge handler.
export { createEvaluationService, type EvaluationDeps, type EvaluationService } from '@ensign/core';
