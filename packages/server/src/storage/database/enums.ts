import {
  COMPARISON_TYPES,
  type ComparisonType,
  FLAG_TYPES,
  type FlagType,
  MATCH_TYPES,
  type MatchType,
  type RolloutType,
  SEGMENT_OPERATORS,
  type SegmentOperator,
} from '@ensign/core';

// Enums are stored as their protobuf numbers (docs/storage.md); the core lists are in number order.

const ROLLOUT_TYPES: readonly RolloutType[] = [
  'UNKNOWN_ROLLOUT_TYPE',
  'SEGMENT_ROLLOUT_TYPE',
  'THRESHOLD_ROLLOUT_TYPE',
];

function codec<T extends string>(names: readonly T[]) {
  return {
    toNumber: (name: T): number => Math.max(0, names.indexOf(name)),
    fromNumber: (value: number): T => names[Number(value)] ?? names[0]!,
  };
}

export const flagType = codec<FlagType>(FLAG_TYPES);
export const matchType = codec<MatchType>(MATCH_TYPES);
export const segmentOperator = codec<SegmentOperator>(SEGMENT_OPERATORS);
export const comparisonType = codec<ComparisonType>(COMPARISON_TYPES);
export const rolloutType = codec<RolloutType>(ROLLOUT_TYPES);
