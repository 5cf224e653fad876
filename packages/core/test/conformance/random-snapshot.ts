// Random client snapshots and requests for comparing Ensign with Flipt's engine. Only inputs on
// which the engine and the v1 server agree are generated (docs/evaluation.md, plus what
// engine-differences.test.ts documents): distributions sum to exactly 100 in whole percents,
// numbers are integers within i32, booleans use "true"/"false", datetimes are strict RFC 3339 in
// whole seconds, context values have no surrounding whitespace, no UNKNOWN constraint types.

import type {
  EvaluationConstraint,
  EvaluationFlag,
  EvaluationNamespaceSnapshot,
  EvaluationRollout,
  EvaluationSegment,
} from '../../src/document/types.ts';
import { type ComparisonType, ONE_OF_OPERATORS, OPERATORS_BY_TYPE } from '../../src/model/index.ts';
import {
  booleanFlag,
  constraint,
  distribution,
  rule,
  segment,
  segmentRollout,
  snapshot,
  thresholdRollout,
  variantFlag,
} from '../evaluation/snapshot-builders.ts';
import type { Prng } from './prng.ts';

const WORDS = ['a', 'ab', 'abc', 'b', 'ba', 'xyz', 'é', '🚩'];
const NUMBERS = ['-3', '-1', '0', '1', '2', '7', '2147483647', '-2147483648'];
const INSTANTS = [
  '2024-01-01T00:00:00Z',
  '2024-01-01T01:00:00+01:00',
  '2024-06-15T12:30:00Z',
  '2024-06-15T12:30:01Z',
  '2023-12-31T23:59:59Z',
  '2025-01-01T00:00:00-05:00',
];
// The operators the management API accepts per type, so generated data is data Flipt could hold.
// Datetime one-of operators are left out: they never match on the server.
const operatorsOf = (type: ComparisonType) => [...OPERATORS_BY_TYPE[type]];
const STRING_OPERATORS = operatorsOf('STRING_COMPARISON_TYPE');
const NUMBER_OPERATORS = operatorsOf('NUMBER_COMPARISON_TYPE');
const BOOLEAN_OPERATORS = operatorsOf('BOOLEAN_COMPARISON_TYPE');
const DATETIME_OPERATORS = operatorsOf('DATETIME_COMPARISON_TYPE').filter((op) => !ONE_OF_OPERATORS.has(op));
const ENTITY_OPERATORS = operatorsOf('ENTITY_ID_COMPARISON_TYPE');

/** Property names carry their type so contexts can offer values of the right shape. */
const PROPERTIES = {
  STRING: ['s1', 's2'],
  NUMBER: ['n1', 'n2'],
  BOOLEAN: ['b1'],
  DATETIME: ['d1'],
} as const;

export const ENTITIES = Array.from({ length: 40 }, (_, i) =>
  i % 7 === 0 ? `user-${i}@flipt.io` : `entity-${i * 7919}`,
);

function randomConstraint(prng: Prng): EvaluationConstraint {
  const kind = prng.pick(['STRING', 'STRING', 'NUMBER', 'BOOLEAN', 'DATETIME', 'ENTITY_ID'] as const);
  switch (kind) {
    case 'STRING': {
      const operator = prng.pick(STRING_OPERATORS);
      const value = operator.includes('oneof') ? JSON.stringify(prng.some(WORDS, 1, 3)) : prng.pick(WORDS);
      return constraint(
        'STRING',
        prng.pick(PROPERTIES.STRING),
        operator,
        operator.includes('empty') ? '' : value,
      );
    }
    case 'NUMBER': {
      const operator = prng.pick(NUMBER_OPERATORS);
      const value = operator.includes('oneof')
        ? `[${prng.some(NUMBERS, 1, 3).join(',')}]`
        : prng.pick(NUMBERS);
      return constraint(
        'NUMBER',
        prng.pick(PROPERTIES.NUMBER),
        operator,
        operator.includes('present') ? '' : value,
      );
    }
    case 'BOOLEAN':
      return constraint('BOOLEAN', PROPERTIES.BOOLEAN[0], prng.pick(BOOLEAN_OPERATORS));
    case 'DATETIME': {
      const operator = prng.pick(DATETIME_OPERATORS);
      return constraint(
        'DATETIME',
        PROPERTIES.DATETIME[0],
        operator,
        operator.includes('present') ? '' : prng.pick(INSTANTS),
      );
    }
    default: {
      const operator = prng.pick(ENTITY_OPERATORS);
      const value = operator.includes('oneof')
        ? JSON.stringify(prng.some(ENTITIES, 1, 4))
        : operator.includes('contains')
          ? prng.pick(['@flipt', '-1', '7', 'user'])
          : prng.pick(ENTITIES);
      return constraint('ENTITY_ID', 'entityId', operator, value);
    }
  }
}

function randomSegments(prng: Prng, count: number): EvaluationSegment[] {
  return Array.from({ length: count }, (_, i) =>
    segment(
      `seg-${i}`,
      Array.from({ length: prng.int(4) }, () => randomConstraint(prng)),
      prng.chance(0.5) ? 'ALL' : 'ANY',
    ),
  );
}

/** Usually 1-3 distinct segments; sometimes none (OR then never matches, AND always does). */
function distinctSegments(prng: Prng, pool: EvaluationSegment[]): EvaluationSegment[] {
  const chosen = new Set(prng.some(pool, prng.chance(0.05) ? 0 : 1, 3));
  return [...chosen];
}

function randomVariantFlag(prng: Prng, key: string, pool: EvaluationSegment[]): EvaluationFlag {
  const variants = ['red', 'green', 'blue', 'cyan'].map((name) => ({
    key: name,
    attachment: prng.chance(0.4) ? JSON.stringify({ color: name, n: prng.int(9) }) : '',
  }));
  const rules = Array.from({ length: prng.int(4) }, (_, i) => {
    const count = prng.int(4);
    // Whole percents summing to 100, zeros included: 0% distributions must be skipped.
    const percents = count === 0 ? [] : prng.split(100, count);
    const distributions = percents.map((p) => {
      const v = prng.pick(variants);
      return distribution(v.key, p, v.attachment);
    });
    return rule(distinctSegments(prng, pool), distributions, { rank: i + 1, and: prng.chance(0.4) });
  });
  const defaultVariant = prng.chance(0.4) ? prng.pick(variants) : undefined;
  return variantFlag(key, rules, {
    enabled: prng.chance(0.85),
    ...(defaultVariant ? { defaultVariant } : {}),
  });
}

function randomBooleanFlag(prng: Prng, key: string, pool: EvaluationSegment[]): EvaluationFlag {
  const rollouts: EvaluationRollout[] = Array.from({ length: prng.int(4) }, (_, i) =>
    prng.chance(0.4)
      ? thresholdRollout(prng.int(401) / 4, prng.chance(0.5), i + 1)
      : segmentRollout(distinctSegments(prng, pool), prng.chance(0.5), {
          rank: i + 1,
          and: prng.chance(0.4),
        }),
  );
  return booleanFlag(key, rollouts, prng.chance(0.5));
}

export function randomSnapshot(prng: Prng): EvaluationNamespaceSnapshot {
  const pool = randomSegments(prng, 6);
  const flags = Array.from({ length: 8 }, (_, i) =>
    i % 2 === 0 ? randomVariantFlag(prng, `flag-${i}`, pool) : randomBooleanFlag(prng, `flag-${i}`, pool),
  );
  return snapshot(flags, prng.chance(0.2) ? 'production' : 'default');
}

function contextValue(prng: Prng, kind: keyof typeof PROPERTIES): string {
  switch (kind) {
    case 'STRING': {
      const word = prng.pick(WORDS);
      // No surrounding whitespace: the engine does not trim (see engine-differences.test.ts).
      return prng.pick([word, word, `${word}x`, `x${word}`, '']);
    }
    case 'NUMBER':
      return prng.pick([...NUMBERS, '', 'abc', '+1', '007']);
    case 'BOOLEAN':
      return prng.pick(['true', 'false', '', 'nope']);
    default:
      return prng.pick([...INSTANTS, '', 'not-a-date']);
  }
}

export function randomContext(prng: Prng): Record<string, string> {
  const context: Record<string, string> = {};
  for (const [kind, names] of Object.entries(PROPERTIES) as [keyof typeof PROPERTIES, readonly string[]][]) {
    for (const name of names) if (prng.chance(0.8)) context[name] = contextValue(prng, kind);
  }
  return context;
}
