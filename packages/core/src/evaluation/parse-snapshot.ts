// Validates a client snapshot document (flipt.evaluation.EvaluationNamespaceSnapshot as JSON) into
// the parsed model. Leniency follows protojson: absent or null fields take their protobuf default
// (rules, rollouts, description, ranks, enums...). Identity fields (namespace.key, flag and segment
// keys, distribution variantKey) are required; wrong JSON types and unknown enum names are
// rejected with the path of the offending field.

import {
  arrayField,
  asObject,
  booleanField,
  enumField,
  fail,
  fieldPath,
  type JsonObject,
  keyField,
  numberField,
  optionalObject,
  stringField,
} from './json-reader.ts';
import type {
  ConstraintKind,
  ParsedConstraint,
  ParsedDistribution,
  ParsedFlag,
  ParsedNamespace,
  ParsedRollout,
  ParsedRule,
  ParsedSegment,
} from './parsed-snapshot.ts';

const FLAG_TYPES = ['VARIANT_FLAG_TYPE', 'BOOLEAN_FLAG_TYPE'] as const;
const MATCH_TYPES = ['ALL_SEGMENT_MATCH_TYPE', 'ANY_SEGMENT_MATCH_TYPE'] as const;
const SEGMENT_OPERATORS = ['OR_SEGMENT_OPERATOR', 'AND_SEGMENT_OPERATOR'] as const;
const ROLLOUT_TYPES = ['UNKNOWN_ROLLOUT_TYPE', 'SEGMENT_ROLLOUT_TYPE', 'THRESHOLD_ROLLOUT_TYPE'] as const;
const CONSTRAINT_TYPES: readonly ConstraintKind[] = [
  'UNKNOWN_CONSTRAINT_COMPARISON_TYPE',
  'STRING_CONSTRAINT_COMPARISON_TYPE',
  'NUMBER_CONSTRAINT_COMPARISON_TYPE',
  'BOOLEAN_CONSTRAINT_COMPARISON_TYPE',
  'DATETIME_CONSTRAINT_COMPARISON_TYPE',
  'ENTITY_ID_CONSTRAINT_COMPARISON_TYPE',
];

/** Segment JSON objects are often shared between rules; parse each object once. */
export type SegmentCache = Map<object, ParsedSegment>;

function parseConstraint(value: unknown, path: string): ParsedConstraint {
  const object = asObject(value, path);
  return {
    type: enumField(object, 'type', path, CONSTRAINT_TYPES),
    property: stringField(object, 'property', path, ''),
    operator: stringField(object, 'operator', path, ''),
    value: stringField(object, 'value', path, ''),
  };
}

function parseSegment(value: unknown, path: string, cache: SegmentCache): ParsedSegment {
  const object = asObject(value, path);
  const cached = cache.get(object);
  if (cached) return cached;
  const constraintsPath = fieldPath(path, 'constraints');
  const segment: ParsedSegment = {
    key: keyField(object, 'key', path),
    matchAll: enumField(object, 'matchType', path, MATCH_TYPES) === 'ALL_SEGMENT_MATCH_TYPE',
    constraints: arrayField(object, 'constraints', path).map((item, i) =>
      parseConstraint(item, `${constraintsPath}[${i}]`),
    ),
  };
  cache.set(object, segment);
  return segment;
}

function parseSegments(object: JsonObject, path: string, cache: SegmentCache): ParsedSegment[] {
  const segmentsPath = fieldPath(path, 'segments');
  return arrayField(object, 'segments', path).map((item, i) =>
    parseSegment(item, `${segmentsPath}[${i}]`, cache),
  );
}

function isAnd(object: JsonObject, path: string): boolean {
  return enumField(object, 'segmentOperator', path, SEGMENT_OPERATORS) === 'AND_SEGMENT_OPERATOR';
}

function parseDistribution(value: unknown, path: string): ParsedDistribution {
  const object = asObject(value, path);
  return {
    variantKey: stringField(object, 'variantKey', path),
    variantAttachment: stringField(object, 'variantAttachment', path, ''),
    rollout: numberField(object, 'rollout', path),
  };
}

function parseRule(value: unknown, path: string, cache: SegmentCache): ParsedRule {
  const object = asObject(value, path);
  const distributionsPath = fieldPath(path, 'distributions');
  return {
    rank: numberField(object, 'rank', path),
    and: isAnd(object, path),
    segments: parseSegments(object, path, cache),
    distributions: arrayField(object, 'distributions', path).map((item, i) =>
      parseDistribution(item, `${distributionsPath}[${i}]`),
    ),
  };
}

function parseRollout(value: unknown, path: string, cache: SegmentCache): ParsedRollout {
  const object = asObject(value, path);
  const type = enumField(object, 'type', path, ROLLOUT_TYPES);
  const threshold = optionalObject(object, 'threshold', path);
  const segment = optionalObject(object, 'segment', path);
  const rollout: ParsedRollout = { rank: numberField(object, 'rank', path) };
  // The type picks the body; without a type the body present says what the rollout is.
  const useThreshold = type === 'THRESHOLD_ROLLOUT_TYPE' || (type === 'UNKNOWN_ROLLOUT_TYPE' && !segment);
  const useSegment = type === 'SEGMENT_ROLLOUT_TYPE' || (type === 'UNKNOWN_ROLLOUT_TYPE' && !threshold);
  if (type === 'UNKNOWN_ROLLOUT_TYPE' && threshold && segment) {
    fail(fieldPath(path, 'type'), 'is required when both threshold and segment are present');
  }
  if (useThreshold && threshold) {
    const thresholdPath = fieldPath(path, 'threshold');
    rollout.threshold = {
      percentage: numberField(threshold, 'percentage', thresholdPath),
      value: booleanField(threshold, 'value', thresholdPath),
    };
  } else if (useSegment && segment) {
    const segmentPath = fieldPath(path, 'segment');
    rollout.segment = {
      value: booleanField(segment, 'value', segmentPath),
      and: isAnd(segment, segmentPath),
      segments: parseSegments(segment, segmentPath, cache),
    };
  } else if (type !== 'UNKNOWN_ROLLOUT_TYPE') {
    fail(
      fieldPath(path, type === 'THRESHOLD_ROLLOUT_TYPE' ? 'threshold' : 'segment'),
      `is required for ${type}`,
    );
  }
  return rollout;
}

export function parseFlag(value: unknown, path: string, cache: SegmentCache): ParsedFlag {
  const object = asObject(value, path);
  const rulesPath = fieldPath(path, 'rules');
  const rolloutsPath = fieldPath(path, 'rollouts');
  const flag: ParsedFlag = {
    key: keyField(object, 'key', path),
    description: stringField(object, 'description', path, ''),
    enabled: booleanField(object, 'enabled', path),
    type: enumField(object, 'type', path, FLAG_TYPES),
    rules: arrayField(object, 'rules', path).map((item, i) => parseRule(item, `${rulesPath}[${i}]`, cache)),
    rollouts: arrayField(object, 'rollouts', path).map((item, i) =>
      parseRollout(item, `${rolloutsPath}[${i}]`, cache),
    ),
  };
  const defaultVariant = optionalObject(object, 'defaultVariant', path);
  if (defaultVariant) {
    const defaultPath = fieldPath(path, 'defaultVariant');
    flag.defaultVariant = {
      key: stringField(defaultVariant, 'key', defaultPath),
      attachment: stringField(defaultVariant, 'attachment', defaultPath, ''),
    };
  }
  return flag;
}

/** Throws EnsignError invalid_argument `invalid snapshot: <path> <problem>`. */
export function parseSnapshot(document: unknown): ParsedNamespace {
  const root = asObject(document, '');
  const namespace = optionalObject(root, 'namespace', '');
  if (!namespace) fail('namespace', 'is required');
  const cache: SegmentCache = new Map();
  const flags = arrayField(root, 'flags', '', true).map((item, i) => parseFlag(item, `flags[${i}]`, cache));
  const seen = new Map<string, number>();
  flags.forEach((flag, i) => {
    const first = seen.get(flag.key);
    if (first !== undefined) fail(`flags[${i}].key`, `duplicates flags[${first}].key "${flag.key}"`);
    seen.set(flag.key, i);
  });
  return { key: stringField(namespace, 'key', 'namespace'), flags };
}
