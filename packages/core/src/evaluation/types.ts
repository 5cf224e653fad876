// Requests and responses of flipt.evaluation.EvaluationService, in Flipt's JSON shape.

export type EvaluationReason =
  | 'UNKNOWN_EVALUATION_REASON'
  | 'FLAG_DISABLED_EVALUATION_REASON'
  | 'MATCH_EVALUATION_REASON'
  | 'DEFAULT_EVALUATION_REASON';

export type ErrorEvaluationReason = 'UNKNOWN_ERROR_EVALUATION_REASON' | 'NOT_FOUND_ERROR_EVALUATION_REASON';

export type EvaluationResponseType =
  | 'VARIANT_EVALUATION_RESPONSE_TYPE'
  | 'BOOLEAN_EVALUATION_RESPONSE_TYPE'
  | 'ERROR_EVALUATION_RESPONSE_TYPE';

export interface EvaluationRequest {
  requestId?: string;
  /** Empty or absent means "default". */
  namespaceKey?: string;
  flagKey: string;
  entityId: string;
  context?: Readonly<Record<string, string>>;
  reference?: string;
}

export interface VariantEvaluationResponse {
  match: boolean;
  segmentKeys: string[];
  reason: EvaluationReason;
  variantKey: string;
  variantAttachment: string;
  requestId: string;
  requestDurationMillis: number;
  /** Filled by the transport, not by the pure evaluator. */
  timestamp?: string;
  flagKey: string;
}

export interface BooleanEvaluationResponse {
  enabled: boolean;
  reason: EvaluationReason;
  requestId: string;
  requestDurationMillis: number;
  timestamp?: string;
  flagKey: string;
  segmentKeys: string[];
}

export interface ErrorEvaluationResponse {
  flagKey: string;
  namespaceKey: string;
  reason: ErrorEvaluationReason;
}

export type EvaluationResponse =
  | { type: 'VARIANT_EVALUATION_RESPONSE_TYPE'; variantResponse: VariantEvaluationResponse }
  | { type: 'BOOLEAN_EVALUATION_RESPONSE_TYPE'; booleanResponse: BooleanEvaluationResponse }
  | { type: 'ERROR_EVALUATION_RESPONSE_TYPE'; errorResponse: ErrorEvaluationResponse };

export interface BatchEvaluationRequest {
  requestId?: string;
  requests: EvaluationRequest[];
  reference?: string;
}

export interface BatchEvaluationResponse {
  requestId: string;
  responses: EvaluationResponse[];
  requestDurationMillis: number;
}

/** A flag as a client lists it (flipt-client-js listFlags, OFREP bulk). */
export interface FlagSummary {
  key: string;
  enabled: boolean;
  type: 'VARIANT_FLAG_TYPE' | 'BOOLEAN_FLAG_TYPE';
  description: string;
}

export interface Evaluator {
  readonly namespaceKey: string;
  /** Throws EnsignError not_found / invalid_argument (wrong flag type), never for context values. */
  variant(request: EvaluationRequest): VariantEvaluationResponse;
  boolean(request: EvaluationRequest): BooleanEvaluationResponse;
  /** Unknown flags become ERROR items; the type of each flag picks variant or boolean. */
  batch(requests: readonly EvaluationRequest[]): BatchEvaluationResponse;
  /** Flags in snapshot order. */
  flags(): readonly FlagSummary[];
  hasFlag(key: string): boolean;
  /** The flag's summary (its type picks variant or boolean evaluation), undefined when unknown. */
  flag(key: string): FlagSummary | undefined;
}
