// Generated Flipt feature data for comparing the edge with its origin: variant flags with
// attachments and multi-segment rules, boolean flags with threshold and segment rollouts,
// default variants, disabled flags, every constraint type. Deterministic for a seed.

import { prng } from '../../../core/test/conformance/prng.ts';

export { prng };

const PLANS = ['free', 'pro', 'team', 'enterprise'];
const COUNTRIES = ['fr', 'de', 'us', 'jp', 'br'];

export interface GeneratedData {
  /** The feature file's text (JSON, which YAML reads too). */
  text: string;
  variantFlags: string[];
  booleanFlags: string[];
}

function constraintFor(random: () => number, i: number): Record<string, unknown> {
  switch (i % 5) {
    case 0:
      return {
        type: 'STRING_COMPARISON_TYPE',
        property: 'plan',
        operator: 'eq',
        value: PLANS[Math.floor(random() * 4)],
      };
    case 1:
      return {
        type: 'NUMBER_COMPARISON_TYPE',
        property: 'age',
        operator: 'gte',
        value: String(Math.floor(random() * 60)),
      };
    case 2:
      return { type: 'BOOLEAN_COMPARISON_TYPE', property: 'beta', operator: 'true' };
    case 3:
      return {
        type: 'STRING_COMPARISON_TYPE',
        property: 'country',
        operator: 'isoneof',
        value: JSON.stringify(COUNTRIES.filter(() => random() < 0.5)),
      };
    default:
      return {
        type: 'DATETIME_COMPARISON_TYPE',
        property: 'signup',
        operator: 'gt',
        value: '2024-01-01T00:00:00Z',
      };
  }
}

/** `generation` changes the data (flag order and content) without changing its shape. */
export function generateFeatures(seed: number, flags = 40, generation = 0): GeneratedData {
  const random = prng(seed * 7919 + generation);
  const segments = Array.from({ length: 12 }, (_, i) => ({
    key: `segment_${i}`,
    name: `Segment ${i}`,
    match_type: random() < 0.5 ? 'ALL_MATCH_TYPE' : 'ANY_MATCH_TYPE',
    constraints: Array.from({ length: 1 + (i % 3) }, (_, j) => constraintFor(random, i + j)),
  }));
  const pickSegment = () => segments[Math.floor(random() * segments.length)]!.key;
  const variantFlags: string[] = [];
  const booleanFlags: string[] = [];
  const out: Record<string, unknown>[] = [];
  for (let f = 0; f < flags; f++) {
    if (f % 3 === 2) {
      const key = `boolean_${f}`;
      booleanFlags.push(key);
      out.push({
        key,
        name: key,
        type: 'BOOLEAN_FLAG_TYPE',
        enabled: random() < 0.8,
        rollouts: [
          { segment: { key: pickSegment(), value: random() < 0.5 } },
          { threshold: { percentage: Math.floor(random() * 100), value: random() < 0.5 } },
        ],
      });
      continue;
    }
    const key = `variant_${f}`;
    variantFlags.push(key);
    const withDefault = random() < 0.3;
    const variants = ['red', 'green', 'blue'].map((v) => ({
      key: `${v}_${generation}`,
      name: v,
      ...(random() < 0.5 ? { attachment: { colour: v, weight: Math.floor(random() * 10) } } : {}),
      ...(withDefault && v === 'blue' ? { default: true } : {}),
    }));
    const first = Math.floor(random() * 101);
    out.push({
      key,
      name: key,
      description: `generated flag ${f}`,
      type: 'VARIANT_FLAG_TYPE',
      enabled: random() < 0.9,
      variants,
      rules: Array.from({ length: 1 + (f % 3) }, (_, r) => ({
        ...(r % 2 === 0
          ? { segment: pickSegment() }
          : {
              segment: {
                keys: [pickSegment(), pickSegment()].filter((k, i, a) => a.indexOf(k) === i),
                operator: 'AND_SEGMENT_OPERATOR',
              },
            }),
        distributions: [
          { variant: variants[0]!.key, rollout: first },
          { variant: variants[1]!.key, rollout: 100 - first },
        ],
      })),
    });
  }
  const text = JSON.stringify(
    { version: '1.4', namespace: { key: 'default' }, flags: out, segments },
    null,
    1,
  );
  return { text, variantFlags, booleanFlags };
}
