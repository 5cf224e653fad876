// Row shapes as stored (docs/storage.md, simplified): enums as their protobuf numbers, booleans as 0/1,
// timestamps as ISO-8601 text with milliseconds, JSON as text. Every table carries
// `namespace_key` so a namespace loads, and is deleted, with one query per table.
// `seq` is the namespace revision that created the row: an exact creation order that
// timestamps (equal within a millisecond) cannot give.

export interface NamespaceRow {
  key: string;
  name: string;
  description: string;
  protected: number;
  revision: number;
  created_at: string;
  updated_at: string;
  state_modified_at: string;
}

export interface FlagRow {
  namespace_key: string;
  key: string;
  name: string;
  description: string;
  enabled: number;
  type: number;
  default_variant_id: string | null;
  metadata: string | null;
  seq: number;
  created_at: string;
  updated_at: string;
}

export interface VariantRow {
  id: string;
  namespace_key: string;
  flag_key: string;
  key: string;
  name: string;
  description: string;
  attachment: string | null;
  seq: number;
  created_at: string;
  updated_at: string;
}

export interface SegmentRow {
  namespace_key: string;
  key: string;
  name: string;
  description: string;
  match_type: number;
  seq: number;
  created_at: string;
  updated_at: string;
}

export interface ConstraintRow {
  id: string;
  namespace_key: string;
  segment_key: string;
  type: number;
  property: string;
  operator: string;
  value: string;
  description: string;
  seq: number;
  created_at: string;
  updated_at: string;
}

export interface RuleRow {
  id: string;
  namespace_key: string;
  flag_key: string;
  rank: number;
  segment_operator: number;
  created_at: string;
  updated_at: string;
}

export interface RuleSegmentRow {
  rule_id: string;
  namespace_key: string;
  segment_key: string;
  position: number;
}

export interface DistributionRow {
  id: string;
  namespace_key: string;
  rule_id: string;
  variant_id: string;
  rollout: number;
  seq: number;
  created_at: string;
  updated_at: string;
}

export interface RolloutRow {
  id: string;
  namespace_key: string;
  flag_key: string;
  type: number;
  description: string;
  rank: number;
  created_at: string;
  updated_at: string;
}

export interface RolloutThresholdRow {
  rollout_id: string;
  namespace_key: string;
  percentage: number;
  value: number;
}

export interface RolloutSegmentRow {
  rollout_id: string;
  namespace_key: string;
  value: number;
  segment_operator: number;
}

export interface RolloutSegmentReferenceRow {
  rollout_id: string;
  namespace_key: string;
  segment_key: string;
  position: number;
}

export interface SchemaMigrationRow {
  version: number;
  applied_at: string;
}

export interface Tables {
  namespaces: NamespaceRow;
  flags: FlagRow;
  variants: VariantRow;
  segments: SegmentRow;
  constraints: ConstraintRow;
  rules: RuleRow;
  rule_segments: RuleSegmentRow;
  distributions: DistributionRow;
  rollouts: RolloutRow;
  rollout_thresholds: RolloutThresholdRow;
  rollout_segments: RolloutSegmentRow;
  rollout_segment_references: RolloutSegmentReferenceRow;
  schema_migrations: SchemaMigrationRow;
}
