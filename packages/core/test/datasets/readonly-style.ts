// The project's own test data: a generated dataset in the shape of the "readonly" suite that
// Flipt's integration tests serve (two namespaces, fifty variant flags with a rule per segment,
// boolean flags with segment and threshold rollouts, AND-ed segments, an entity-id segment, a
// disabled flag, a rule without distributions). With `coverage`, it grows by hundreds of
// generated flags and segments that use every comparison type and operator, from a seed.
//
// The text is written in the style of Flipt's exporter, so the loader's fast YAML path reads it.
// When FLIPT_FIXTURES_DIR points at Flipt's published fixtures, a test checks that the base
// dataset is byte-for-byte the file Flipt publishes (see datasets.test.ts).

import { stringifyLikeFlipt } from '../../src/features/yaml-style.ts';
import { OPERATORS_BY_TYPE } from '../../src/model/index.ts';
import { Prng } from '../conformance/prng.ts';

export interface DatasetOptions {
  /** Generated flags (and as many segments) per namespace on top of the base; 0 by default. */
  coverage?: number;
  /** Seed of the generated part. */
  seed?: number;
}

export interface DatasetFile {
  path: string;
  content: string;
}

export const NAMESPACES = [
  { key: 'default', name: 'Default', description: 'Default namespace' },
  { key: 'production', name: 'Production' },
] as const;

/** Flags and segments of the base dataset, per namespace. */
export const BASE_FLAG_COUNT = 57;
export const BASE_SEGMENT_COUNT = 53;

const pad = (n: number) => String(n).padStart(3, '0');
const numbered = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => `${prefix}${pad(i + 1)}`);

type Obj = Record<string, unknown>;

const twoVariants = () => [
  { key: 'variant_001', name: 'VARIANT_001' },
  { key: 'variant_002', name: 'VARIANT_002' },
];
const halfAndHalf = () => [
  { variant: 'variant_001', rollout: 50 },
  { variant: 'variant_002', rollout: 50 },
];
const andSegments = (extra: Obj = {}) => ({
  keys: ['segment_001', 'segment_anding'],
  operator: 'AND_SEGMENT_OPERATOR',
  ...extra,
});

function baseFlags(): Obj[] {
  const segmentKeys = numbered('segment_', 50);
  const numberedFlags = numbered('flag_', 50).map((key) => ({
    key,
    name: key.toUpperCase(),
    type: 'VARIANT_FLAG_TYPE',
    description: 'Some Description',
    enabled: true,
    variants: twoVariants(),
    rules: segmentKeys.map((segment) => ({ segment, distributions: halfAndHalf() })),
  }));
  const booleanRollouts = [1, 2, 3, 4].map((n) => {
    const enabled = n % 2 === 1;
    const segment: Obj = { key: `segment_${pad(n)}` };
    if (enabled) segment['value'] = true;
    return { description: `${enabled ? 'enabled' : 'disabled'} for segment_${pad(n)}`, segment };
  });
  return [
    ...numberedFlags,
    {
      key: 'flag_variant_and_segments',
      name: 'FLAG_VARIANT_AND_SEGMENTS',
      type: 'VARIANT_FLAG_TYPE',
      description: 'And segments for variant flags',
      enabled: true,
      variants: twoVariants(),
      rules: [{ segment: andSegments(), distributions: halfAndHalf() }],
    },
    {
      key: 'flag_boolean',
      name: 'FLAG_BOOLEAN',
      type: 'BOOLEAN_FLAG_TYPE',
      description: 'Boolean Flag Description',
      enabled: false,
      rollouts: [
        ...booleanRollouts,
        { description: 'enabled for 50%', threshold: { percentage: 50, value: true } },
      ],
    },
    {
      key: 'flag_boolean_and_segments',
      name: 'FLAG_BOOLEAN_AND_SEGMENTS',
      type: 'BOOLEAN_FLAG_TYPE',
      description: 'And segments for boolean flags',
      enabled: false,
      rollouts: [{ description: 'enabled for segment_001', segment: andSegments({ value: true }) }],
    },
    {
      key: 'flag_disabled',
      name: 'FLAG_DISABLED',
      type: 'VARIANT_FLAG_TYPE',
      description: 'Disabled Flag Description',
      enabled: false,
    },
    {
      key: 'flag_boolean_no_constraints',
      name: 'FLAG_NO_CONSTRAINTS',
      type: 'BOOLEAN_FLAG_TYPE',
      description: 'Flag Boolean no segment constraints',
      enabled: false,
      rollouts: [
        {
          description: 'enabled for segment_no_constraints',
          segment: { key: 'segment_no_constraints', value: true },
        },
      ],
    },
    {
      key: 'flag_using_entity_id',
      name: 'FLAG_USING_ENTITY_ID',
      type: 'VARIANT_FLAG_TYPE',
      description: 'Flag using entity id',
      enabled: true,
      variants: [{ key: 'variant_001', name: 'VARIANT_001' }],
      rules: [{ segment: 'segment_entity_id', distributions: [{ variant: 'variant_001', rollout: 100 }] }],
    },
    {
      key: 'flag_no_distributions',
      name: 'FLAG_NO_DISTRIBUTIONS',
      type: 'VARIANT_FLAG_TYPE',
      description: 'Flag no distributions',
      enabled: true,
      variants: [{ key: 'variant_001', name: 'VARIANT_001' }],
      rules: [{ segment: 'segment_001' }],
    },
  ];
}

function baseSegments(): Obj[] {
  const inSegment = (key: string) => ({
    type: 'STRING_COMPARISON_TYPE',
    property: 'in_segment',
    operator: 'eq',
    value: key,
  });
  const segment = (key: string, constraints?: Obj[]): Obj => ({
    key,
    name: key.toUpperCase(),
    description: 'Some Segment Description',
    ...(constraints ? { constraints } : {}),
    match_type: 'ALL_MATCH_TYPE',
  });
  return [
    // The first numbered segment has its constraint once, the others twice (an ALL match of
    // duplicates must still match).
    ...numbered('segment_', 50).map((key, i) =>
      segment(key, i === 0 ? [inSegment(key)] : [inSegment(key), inSegment(key)]),
    ),
    segment('segment_no_constraints'),
    segment('segment_anding', [
      { type: 'STRING_COMPARISON_TYPE', property: 'anding', operator: 'eq', value: 'segment' },
    ]),
    segment('segment_entity_id', [
      { type: 'ENTITY_ID_COMPARISON_TYPE', property: 'entityId', operator: 'eq', value: 'user@flipt.io' },
    ]),
  ];
}

// --- the generated coverage part -------------------------------------------------------------

const TYPES = [
  'STRING_COMPARISON_TYPE',
  'NUMBER_COMPARISON_TYPE',
  'BOOLEAN_COMPARISON_TYPE',
  'DATETIME_COMPARISON_TYPE',
  'ENTITY_ID_COMPARISON_TYPE',
] as const;

/** Every (type, operator) pair the management API accepts: the generated segments cycle through them. */
export const OPERATOR_PAIRS: ReadonlyArray<readonly [string, string]> = TYPES.flatMap((type) =>
  [...OPERATORS_BY_TYPE[type]].map((operator) => [type, operator] as const),
);

/** Context properties used by generated constraints, by type: contexts can offer values of the right shape. */
export const COVERAGE_PROPERTIES = {
  STRING_COMPARISON_TYPE: 'plan',
  NUMBER_COMPARISON_TYPE: 'age',
  BOOLEAN_COMPARISON_TYPE: 'beta',
  DATETIME_COMPARISON_TYPE: 'signup',
  ENTITY_ID_COMPARISON_TYPE: 'entityId',
} as const;

const WORDS = ['free', 'pro', 'team', 'enterprise', 'trial'];
const INSTANTS = ['2024-01-01T00:00:00Z', '2024-06-15T12:30:00Z', '2025-03-01T08:00:00+02:00'];

function constraintValue(prng: Prng, type: string, operator: string): string | undefined {
  if (['empty', 'notempty', 'present', 'notpresent', 'true', 'false'].includes(operator)) return undefined;
  const oneOf = operator === 'isoneof' || operator === 'isnotoneof';
  switch (type) {
    case 'NUMBER_COMPARISON_TYPE':
      return oneOf
        ? JSON.stringify(prng.some([18, 21, 30, 42, 65], 1, 3))
        : String(prng.pick([18, 21, 30, 42, 65]));
    case 'DATETIME_COMPARISON_TYPE':
      return prng.pick(INSTANTS);
    case 'ENTITY_ID_COMPARISON_TYPE':
      return oneOf
        ? JSON.stringify(prng.some(['user-1', 'user-2', 'user-3'], 1, 3))
        : prng.pick(['user-1', 'user-', '-7']);
    default:
      return oneOf ? JSON.stringify(prng.some(WORDS, 1, 3)) : prng.pick(WORDS);
  }
}

function coverageSegments(prng: Prng, count: number): Obj[] {
  return numbered('segment_cov_', count).map((key, i) => {
    const constraints = Array.from({ length: 1 + (i % 3) }, (_, j) => {
      const [type, operator] = OPERATOR_PAIRS[(i * 3 + j) % OPERATOR_PAIRS.length]!;
      const constraint: Obj = {
        type,
        property: COVERAGE_PROPERTIES[type as keyof typeof COVERAGE_PROPERTIES],
        operator,
      };
      const value = constraintValue(prng, type, operator);
      if (value !== undefined) constraint['value'] = value;
      return constraint;
    });
    return {
      key,
      name: `Coverage segment ${i + 1}`,
      constraints,
      match_type: i % 2 === 0 ? 'ALL_MATCH_TYPE' : 'ANY_MATCH_TYPE',
    };
  });
}

function coverageFlags(prng: Prng, count: number, segmentKeys: readonly string[]): Obj[] {
  return numbered('flag_cov_', count).map((key, i) => {
    const name = `Coverage flag ${i + 1}`;
    if (i % 4 === 3) {
      const rollouts: Obj[] = prng.some(segmentKeys, 0, 3).map((segment) => ({
        segment: { key: segment, ...(prng.chance(0.5) ? { value: true } : {}) },
      }));
      rollouts.push({ threshold: { percentage: prng.int(101), value: prng.chance(0.5) } });
      return { key, name, type: 'BOOLEAN_FLAG_TYPE', enabled: prng.chance(0.8), rollouts };
    }
    const variantCount = 1 + prng.int(3);
    const variants = Array.from({ length: variantCount }, (_, v) => ({
      key: `v${v + 1}`,
      name: `Variant ${v + 1}`,
      ...(v === 0 && i % 5 === 0 ? { attachment: { color: prng.pick(['red', 'blue']), weight: v + i } } : {}),
    }));
    if (i % 6 === 1) (variants[variantCount - 1] as Obj)['default'] = true;
    const rules = Array.from({ length: 1 + prng.int(3) }, () => {
      const shares = prng.split(100, variantCount);
      const distributions = variants.map((v, d) => ({ variant: v.key, rollout: shares[d]! }));
      const segment = prng.chance(0.3)
        ? {
            keys: prng.some(segmentKeys, 2, 3),
            operator: prng.pick(['AND_SEGMENT_OPERATOR', 'OR_SEGMENT_OPERATOR']),
          }
        : prng.pick(segmentKeys);
      return { segment, distributions };
    });
    return { key, name, type: 'VARIANT_FLAG_TYPE', enabled: prng.chance(0.9), variants, rules };
  });
}

function namespaceDocument(namespace: Obj, first: boolean, options: DatasetOptions): Obj {
  const doc: Obj = {};
  if (first) doc['version'] = '1.4';
  doc['namespace'] = namespace;
  const coverage = options.coverage ?? 0;
  const flags = baseFlags();
  const segments = baseSegments();
  if (coverage > 0) {
    const prng = new Prng((options.seed ?? 20261130) + String(namespace['key']).length);
    const generated = coverageSegments(prng, coverage);
    segments.push(...generated);
    flags.push(
      ...coverageFlags(
        prng,
        coverage,
        generated.map((s) => String(s['key'])),
      ),
    );
  }
  doc['flags'] = flags;
  doc['segments'] = segments;
  return doc;
}

const cache = new Map<string, DatasetFile[]>();

/** The dataset as feature files: one per namespace, plus the `.flipt.yml` index naming them. */
export function readonlyStyleFiles(options: DatasetOptions = {}): DatasetFile[] {
  const cacheKey = `${options.coverage ?? 0}/${options.seed ?? ''}`;
  const cached = cache.get(cacheKey);
  if (cached) return cached.map((f) => ({ ...f }));
  const files = NAMESPACES.map((namespace) => ({
    path: `${namespace.key}.yaml`,
    content: stringifyLikeFlipt(namespaceDocument({ ...namespace }, true, options)),
  }));
  const all = [
    {
      path: '.flipt.yml',
      content: `version: "1.0"\ninclude:\n${files.map((f) => `  - ${f.path}\n`).join('')}`,
    },
    ...files,
  ];
  cache.set(cacheKey, all);
  return all.map((f) => ({ ...f }));
}

/** The feature files only (no index), for loaders that take a file list. */
export function readonlyStyleFeatureFiles(options: DatasetOptions = {}): DatasetFile[] {
  return readonlyStyleFiles(options).filter((f) => f.path !== '.flipt.yml');
}
