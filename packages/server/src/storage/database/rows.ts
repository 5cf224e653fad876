import type {
  Constraint,
  Distribution,
  Flag,
  Namespace,
  Rollout,
  Rule,
  Segment,
  Variant,
} from '@ensign/core';
import { comparisonType, flagType, matchType, rolloutType, segmentOperator } from './enums.ts';
import type {
  ConstraintRow,
  DistributionRow,
  FlagRow,
  NamespaceRow,
  RolloutRow,
  RolloutSegmentRow,
  RolloutThresholdRow,
  RuleRow,
  SegmentRow,
  VariantRow,
} from './tables.ts';

// Rows → the management model (Flipt's JSON shapes). Shared by the store's responses and the
// snapshot loader, so what a write returns is exactly what a read of the snapshot shows.

export const bool = (value: unknown): boolean => Number(value) === 1 || value === true;

export function toNamespace(row: NamespaceRow): Namespace {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    protected: bool(row.protected),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toVariant(row: VariantRow): Variant {
  return {
    id: row.id,
    flagKey: row.flag_key,
    key: row.key,
    name: row.name,
    description: row.description,
    attachment: row.attachment ?? '',
    namespaceKey: row.namespace_key,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

export function toFlag(row: FlagRow, variants: Variant[]): Flag {
  const flag: Flag = {
    key: row.key,
    name: row.name,
    description: row.description,
    enabled: bool(row.enabled),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    variants,
    namespaceKey: row.namespace_key,
    type: flagType.fromNumber(row.type),
  };
  const defaultVariant = row.default_variant_id
    ? variants.find((v) => v.id === row.default_variant_id)
    : undefined;
  if (defaultVariant) flag.defaultVariant = defaultVariant;
  if (row.metadata !== null && row.metadata !== '') flag.metadata = JSON.parse(row.metadata);
  return flag;
}

export function toConstraint(row: ConstraintRow): Constraint {
  return {
    id: row.id,
    segmentKey: row.segment_key,
    type: comparisonType.fromNumber(row.type),
    property: row.property,
    operator: row.operator,
    value: row.value,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    namespaceKey: row.namespace_key,
    description: row.description,
  };
}

export function toSegment(row: SegmentRow, constraints: Constraint[]): Segment {
  return {
    key: row.key,
    name: row.name,
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    constraints,
    matchType: matchType.fromNumber(row.match_type),
    namespaceKey: row.namespace_key,
  };
}

export function toDistribution(row: DistributionRow): Distribution {
  return {
    id: row.id,
    ruleId: row.rule_id,
    variantId: row.variant_id,
    rollout: Number(row.rollout),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

/** One segment is reported in `segmentKey`, two or more in `segmentKeys` (docs/data-model.md). */
export function segmentFields(keys: string[], operator: number) {
  return keys.length === 1
    ? { segmentKey: keys[0]!, segmentKeys: [] as string[], segmentOperator: segmentOperator.fromNumber(0) }
    : { segmentKey: '', segmentKeys: keys, segmentOperator: segmentOperator.fromNumber(operator) };
}

export function toRule(row: RuleRow, segmentKeys: string[], distributions: Distribution[]): Rule {
  return {
    id: row.id,
    flagKey: row.flag_key,
    ...segmentFields(segmentKeys, row.segment_operator),
    distributions,
    rank: Number(row.rank),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    namespaceKey: row.namespace_key,
  };
}

export function toRollout(
  row: RolloutRow,
  segment: { row: RolloutSegmentRow; keys: string[] } | undefined,
  threshold: RolloutThresholdRow | undefined,
): Rollout {
  const rollout: Rollout = {
    id: row.id,
    namespaceKey: row.namespace_key,
    flagKey: row.flag_key,
    type: rolloutType.fromNumber(row.type),
    rank: Number(row.rank),
    description: row.description,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
  if (segment) {
    const {
      segmentKey,
      segmentKeys,
      segmentOperator: operator,
    } = segmentFields(segment.keys, segment.row.segment_operator);
    rollout.segment = { segmentKey, value: bool(segment.row.value), segmentKeys, segmentOperator: operator };
  }
  if (threshold)
    rollout.threshold = { percentage: Number(threshold.percentage), value: bool(threshold.value) };
  return rollout;
}
