// Flipt v1's management JSON (flipt-v1.md §3.4), as the server emits it.

export type FlagType = 'VARIANT_FLAG_TYPE' | 'BOOLEAN_FLAG_TYPE';
export type MatchType = 'ALL_MATCH_TYPE' | 'ANY_MATCH_TYPE';
export type SegmentOperator = 'OR_SEGMENT_OPERATOR' | 'AND_SEGMENT_OPERATOR';
export type ComparisonType =
  | 'STRING_COMPARISON_TYPE'
  | 'NUMBER_COMPARISON_TYPE'
  | 'BOOLEAN_COMPARISON_TYPE'
  | 'DATETIME_COMPARISON_TYPE'
  | 'ENTITY_ID_COMPARISON_TYPE';

export interface Namespace {
  key: string;
  name: string;
  description: string;
  protected: boolean;
}

export interface Variant {
  id: string;
  key: string;
  name: string;
  description: string;
  attachment: string;
}

export interface Flag {
  key: string;
  name: string;
  description: string;
  enabled: boolean;
  type: FlagType;
  variants: Variant[];
  defaultVariant?: Variant;
  metadata?: Record<string, unknown>;
  createdAt: string;
  updatedAt: string;
}

export interface Constraint {
  id: string;
  type: ComparisonType;
  property: string;
  operator: string;
  value: string;
  description: string;
}

export interface Segment {
  key: string;
  name: string;
  description: string;
  matchType: MatchType;
  constraints: Constraint[];
  createdAt: string;
  updatedAt: string;
}

export interface Distribution {
  id: string;
  ruleId: string;
  variantId: string;
  rollout: number;
}

export interface Rule {
  id: string;
  segmentKey: string;
  segmentKeys: string[];
  segmentOperator: SegmentOperator;
  distributions: Distribution[];
  rank: number;
}

export interface Rollout {
  id: string;
  type: 'SEGMENT_ROLLOUT_TYPE' | 'THRESHOLD_ROLLOUT_TYPE';
  rank: number;
  description: string;
  segment?: { segmentKey: string; segmentKeys: string[]; segmentOperator: SegmentOperator; value: boolean };
  threshold?: { percentage: number; value: boolean };
}

export interface MetaInfo {
  version: string;
  authentication: { required: boolean };
  storage: { type: string; readOnly: boolean };
  ui?: { theme?: string; topbarColor?: string; topbarLabel?: string };
}

export interface AuthMethod {
  method: string;
  enabled: boolean;
  sessionCompatible: boolean;
  /** OIDC lists its providers' URLs; GitHub has its own at the top level. */
  metadata?: {
    providers?: Record<string, { authorize_url?: string; callback_url?: string }>;
    authorize_url?: string;
  };
}

export interface Authentication {
  id: string;
  method: string;
  expiresAt?: string;
  metadata?: Record<string, string>;
}

/** The segment keys a rule or segment rollout targets, whichever field the server used. */
export const segmentKeysOf = (x: { segmentKey: string; segmentKeys: string[] }): string[] =>
  x.segmentKeys.length > 0 ? x.segmentKeys : x.segmentKey ? [x.segmentKey] : [];
