import {
  COMPARISON_TYPES,
  type ComparisonType,
  FLAG_TYPES,
  type FlagType,
  invalidArgument,
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

function codec<T extends string>(enumName: string, names: readonly T[]) {
  return {
    /** Unknown names are the caller's mistake, never silently the first value. */
    toNumber: (name: T): number => {
      const number = names.indexOf(name);
      if (number < 0) throw invalidArgument(`unknown value ${JSON.stringify(name)} for enum ${enumName}`);
      return number;
    },
    fromNumber: (value: number): T => names[Number(value)] ?? names[0]!,
  };
}

export const flagType = codec<FlagType>('flipt.FlagType', FLAG_TYPES);
export const matchType = codec<MatchType>('flipt.MatchType', MATCH_TYPES);
export const segmentOperator = codec<SegmentOperator>('flipt.SegmentOperator', SEGMENT_OPERATORS);
export const comparisonType = codec<ComparisonType>('flipt.ComparisonType', COMPARISON_TYPES);
export const rolloutType = codec<RolloutType>('flipt.RolloutType', ROLLOUT_TYPES);
