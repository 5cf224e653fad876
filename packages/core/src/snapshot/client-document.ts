import type {
  EvaluationConstraint,
  EvaluationFlag,
  EvaluationNamespaceSnapshot,
  EvaluationRollout,
  EvaluationRule,
  EvaluationSegment,
} from '../document/types.ts';
import { invalidArgument } from '../errors/ensign-error.ts';
import type { Flag, NamespaceState, Rollout, Rule, Segment, Variant } from '../model/types.ts';
import { rolloutsOf, rulesOf, segmentKeysOf } from '../model/types.ts';

const MATCH_TYPES = {
  ALL_MATCH_TYPE: 'ALL_SEGMENT_MATCH_TYPE',
  ANY_MATCH_TYPE: 'ANY_SEGMENT_MATCH_TYPE',
} as const;

const COMPARISON_TYPES = {
  UNKNOWN_COMPARISON_TYPE: 'UNKNOWN_CONSTRAINT_COMPARISON_TYPE',
  STRING_COMPARISON_TYPE: 'STRING_CONSTRAINT_COMPARISON_TYPE',
  NUMBER_COMPARISON_TYPE: 'NUMBER_CONSTRAINT_COMPARISON_TYPE',
  BOOLEAN_COMPARISON_TYPE: 'BOOLEAN_CONSTRAINT_COMPARISON_TYPE',
  DATETIME_COMPARISON_TYPE: 'DATETIME_CONSTRAINT_COMPARISON_TYPE',
  ENTITY_ID_COMPARISON_TYPE: 'ENTITY_ID_CONSTRAINT_COMPARISON_TYPE',
} as const;

/**
 * The client snapshot document of one namespace, in its newest form (every field a 1.47+ client
 * understands). Differences from Flipt v1, on purpose:
 * - a rule with several segments is listed once (Flipt repeats it once per segment, which makes
 *   client engines bucket differently from the server when its percentages sum below 100);
 * - flag timestamps are left out so every replica serves identical bytes for the same content.
 */
export function clientDocumentFromState(state: NamespaceState): EvaluationNamespaceSnapshot {
  const segments = new Map<string, EvaluationSegment>();
  for (const segment of state.segments) segments.set(segment.key, toEvaluationSegment(segment));

  const resolve = (owner: string, keys: string[]): EvaluationSegment[] =>
    keys.map((key) => {
      const segment = segments.get(key);
      if (!segment) throw invalidArgument(`${owner} references unknown segment "${key}"`);
      return segment;
    });

  return {
    namespace: { key: state.namespace.key },
    flags: state.flags.map((flag) => toEvaluationFlag(state, flag, resolve)),
  };
}

/** Turns a rule's or rollout's segment keys into the document's segments; throws for unknown keys. */
export type SegmentResolver = (owner: string, keys: string[]) => EvaluationSegment[];

export function toEvaluationFlag(
  state: NamespaceState,
  flag: Flag,
  resolve: SegmentResolver,
): EvaluationFlag {
  const owner = `flag "${state.namespace.key}/${flag.key}"`;
  const variants = new Map(flag.variants.map((variant) => [variant.id, variant]));
  const document: EvaluationFlag = {
    key: flag.key,
    name: flag.name,
    description: flag.description,
    enabled: flag.enabled,
    type: flag.type,
    rules: (rulesOf(state, flag.key) ?? []).map((rule) => toEvaluationRule(variants, rule, owner, resolve)),
    rollouts: (rolloutsOf(state, flag.key) ?? []).map((rollout) =>
      toEvaluationRollout(rollout, owner, resolve),
    ),
  };
  if (flag.defaultVariant) {
    const { id, key, attachment } = flag.defaultVariant;
    document.defaultVariant = { id, key, attachment };
  }
  return document;
}

function toEvaluationRule(
  variants: ReadonlyMap<string, Variant>,
  rule: Rule,
  owner: string,
  resolve: SegmentResolver,
): EvaluationRule {
  return {
    id: rule.id,
    segments: resolve(`${owner} rule ${rule.rank}`, segmentKeysOf(rule)),
    rank: rule.rank,
    segmentOperator: rule.segmentOperator,
    distributions: rule.distributions.map((distribution) => {
      const variant = variants.get(distribution.variantId);
      if (!variant) {
        throw invalidArgument(
          `${owner} rule ${rule.rank} references unknown variant "${distribution.variantId}"`,
        );
      }
      // Flipt leaves distribution and rule ids empty in the client document.
      return {
        id: '',
        ruleId: '',
        variantId: variant.id,
        variantKey: variant.key,
        variantAttachment: variant.attachment,
        rollout: distribution.rollout,
      };
    }),
  };
}

function toEvaluationRollout(rollout: Rollout, owner: string, resolve: SegmentResolver): EvaluationRollout {
  if (rollout.threshold) {
    return {
      type: 'THRESHOLD_ROLLOUT_TYPE',
      rank: rollout.rank,
      threshold: { percentage: rollout.threshold.percentage, value: rollout.threshold.value },
    };
  }
  if (rollout.segment) {
    return {
      type: 'SEGMENT_ROLLOUT_TYPE',
      rank: rollout.rank,
      segment: {
        value: rollout.segment.value,
        segmentOperator: rollout.segment.segmentOperator,
        segments: resolve(`${owner} rollout ${rollout.rank}`, segmentKeysOf(rollout.segment)),
      },
    };
  }
  throw invalidArgument(`${owner} rollout ${rollout.rank} has neither a segment nor a threshold`);
}

export function toEvaluationSegment(segment: Segment): EvaluationSegment {
  return {
    key: segment.key,
    name: '',
    description: '',
    matchType: MATCH_TYPES[segment.matchType],
    constraints: segment.constraints.map(
      (constraint): EvaluationConstraint => ({
        id: constraint.id,
        type: COMPARISON_TYPES[constraint.type],
        property: constraint.property,
        operator: constraint.operator,
        value: constraint.value,
      }),
    ),
  };
}
