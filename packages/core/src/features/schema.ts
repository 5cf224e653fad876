import { z } from 'zod';

// The structure of a Flipt feature document (ext.Document), versions 1.0 to 1.4. Objects are
// strict like Flipt's closed CUE schema, so a misspelt field is reported instead of ignored.
// Optional fields accept null because YAML writes `description:` with nothing as null and
// Flipt treats it as absent. Cross-field rules (operators per type, version gates,
// references, ranges) live in validate.ts, where they can say exactly what is wrong.
//
// The schemas are built on first use, not at import: building them costs tens of ms at the
// start of every process, and a valid file never needs them (conforms.ts answers for it).

export const KEY_PATTERN = /^[-_,A-Za-z0-9]+$/;
export const VERSIONS = ['1.0', '1.1', '1.2', '1.3', '1.4'] as const;
export const LATEST_VERSION = '1.4';

function build() {
  const key = z.string().regex(KEY_PATTERN);
  const text = z.string().nullish();
  const segmentOperator = z.enum(['OR_SEGMENT_OPERATOR', 'AND_SEGMENT_OPERATOR']).nullish();

  const namespaceSchema = z.union([key, z.strictObject({ key, name: text, description: text })]);

  const variantSchema = z.strictObject({
    key: z.string().min(1),
    name: text,
    description: text,
    attachment: z.unknown().optional(),
    default: z.boolean().nullish(),
  });

  const distributionSchema = z.strictObject({
    variant: z.string().min(1),
    rollout: z.number(),
  });

  const ruleSchema = z.strictObject({
    segment: z.union([key, z.strictObject({ keys: z.array(key).min(1), operator: segmentOperator })]),
    rank: z.number().int().nullish(),
    distributions: z.array(distributionSchema).nullish(),
  });

  const rolloutSchema = z.strictObject({
    description: text,
    segment: z
      .strictObject({
        key: key.nullish(),
        keys: z.array(key).min(1).nullish(),
        operator: segmentOperator,
        value: z.boolean().nullish(),
      })
      .nullish(),
    threshold: z.strictObject({ percentage: z.number(), value: z.boolean().nullish() }).nullish(),
  });

  const flagSchema = z.strictObject({
    key,
    name: z.string().min(1),
    type: z.enum(['VARIANT_FLAG_TYPE', 'BOOLEAN_FLAG_TYPE']).nullish(),
    description: text,
    enabled: z.boolean().nullish(),
    metadata: z.record(z.string(), z.unknown()).nullish(),
    variants: z.array(variantSchema).nullish(),
    rules: z.array(ruleSchema).nullish(),
    rollouts: z.array(rolloutSchema).nullish(),
  });

  const constraintSchema = z.strictObject({
    type: z.enum([
      'STRING_COMPARISON_TYPE',
      'NUMBER_COMPARISON_TYPE',
      'BOOLEAN_COMPARISON_TYPE',
      'DATETIME_COMPARISON_TYPE',
      'ENTITY_ID_COMPARISON_TYPE',
    ]),
    property: z.string().min(1),
    operator: z.string().min(1),
    value: z.string().nullish(),
    description: text,
  });

  const segmentSchema = z.strictObject({
    key,
    name: z.string().min(1),
    description: text,
    match_type: z.enum(['ALL_MATCH_TYPE', 'ANY_MATCH_TYPE']).nullish(),
    constraints: z.array(constraintSchema).nullish(),
  });

  const documentSchema = z.strictObject({
    version: z.enum(VERSIONS).nullish(),
    namespace: namespaceSchema.nullish(),
    flags: z.array(flagSchema).nullish(),
    segments: z.array(segmentSchema).nullish(),
  });
  return {
    namespace: namespaceSchema,
    variant: variantSchema,
    distribution: distributionSchema,
    rule: ruleSchema,
    rollout: rolloutSchema,
    flag: flagSchema,
    constraint: constraintSchema,
    segment: segmentSchema,
    document: documentSchema,
  };
}

type Schemas = ReturnType<typeof build>;
let built: Schemas | undefined;

/** Whether the schemas have been built in this process (for a test of start-up). */
export function schemasBuilt(): boolean {
  return built !== undefined;
}

/** The zod schemas of a feature document and its parts, built the first time they are asked for. */
export function featureSchemas(): Schemas {
  built ??= build();
  return built;
}

export type FeatureDocument = z.infer<Schemas['document']>;
export type FileFlag = z.infer<Schemas['flag']>;
export type FileSegment = z.infer<Schemas['segment']>;
export type FileConstraint = z.infer<Schemas['constraint']>;
export type FileRule = z.infer<Schemas['rule']>;
export type FileRollout = z.infer<Schemas['rollout']>;
export type FileVariant = z.infer<Schemas['variant']>;
