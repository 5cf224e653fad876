import { KEY_PATTERN, VERSIONS } from './schema.ts';

// The structure of schema.ts, checked by hand: a yes when the zod schema would accept the
// document for certain. Nearly every file loaded is valid, and this answers for it without
// building the zod schemas (tens of ms at first use) or running them (they allocate as much
// again as the document). A no only sends the document to zod, which finds and words the
// problems, so this check may be stricter than the schema (e.g. about unusual prototypes or
// non-finite numbers) but never more lenient; a test pins that against the schema.

type Check = (value: unknown) => boolean;

const absent = (value: unknown) => value === undefined || value === null;

/** An object literal as a parser builds it; anything else is left to zod. */
function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype;
}

const string: Check = (v) => typeof v === 'string';
const nonEmpty: Check = (v) => typeof v === 'string' && v.length > 0;
const key: Check = (v) => typeof v === 'string' && KEY_PATTERN.test(v);
const number: Check = (v) => typeof v === 'number' && Number.isFinite(v);
const integer: Check = (v) => typeof v === 'number' && Number.isSafeInteger(v);
const boolean: Check = (v) => typeof v === 'boolean';
const anything: Check = () => true;
const oneOf = (values: readonly string[]): Check => {
  const allowed = new Set(values);
  return (v) => typeof v === 'string' && allowed.has(v);
};
const nullish =
  (check: Check): Check =>
  (v) =>
    absent(v) || check(v);
const list =
  (item: Check, min = 0): Check =>
  (v) => {
    if (!Array.isArray(v) || v.length < min) return false;
    for (let i = 0; i < v.length; i++) if (!item(v[i])) return false;
    return true;
  };
const either =
  (a: Check, b: Check): Check =>
  (v) =>
    a(v) || b(v);

/** A strict object: every field its check accepts (absent fields are undefined), no other key. */
function strict(fields: Record<string, Check>): Check {
  const names = Object.keys(fields);
  const checks = names.map((name) => fields[name]!);
  const known: Record<string, true> = Object.create(null);
  for (const name of names) known[name] = true;
  return (v) => {
    if (!isPlain(v)) return false;
    for (let i = 0; i < names.length; i++) if (!checks[i]!(v[names[i]!])) return false;
    for (const name in v) if (known[name] !== true) return false;
    return true;
  };
}

const text = nullish(string);
const segmentOperator = nullish(oneOf(['OR_SEGMENT_OPERATOR', 'AND_SEGMENT_OPERATOR']));

const variant = strict({
  key: nonEmpty,
  name: text,
  description: text,
  attachment: anything,
  default: nullish(boolean),
});
const distribution = strict({ variant: nonEmpty, rollout: number });
const rule = strict({
  segment: either(key, strict({ keys: list(key, 1), operator: segmentOperator })),
  rank: nullish(integer),
  distributions: nullish(list(distribution)),
});
const rollout = strict({
  description: text,
  segment: nullish(
    strict({
      key: nullish(key),
      keys: nullish(list(key, 1)),
      operator: segmentOperator,
      value: nullish(boolean),
    }),
  ),
  threshold: nullish(strict({ percentage: number, value: nullish(boolean) })),
});
const metadata: Check = (v) => isPlain(v) && !Object.hasOwn(v, '__proto__');
const flag = strict({
  key,
  name: nonEmpty,
  type: nullish(oneOf(['VARIANT_FLAG_TYPE', 'BOOLEAN_FLAG_TYPE'])),
  description: text,
  enabled: nullish(boolean),
  metadata: nullish(metadata),
  variants: nullish(list(variant)),
  rules: nullish(list(rule)),
  rollouts: nullish(list(rollout)),
});
const constraint = strict({
  type: oneOf([
    'STRING_COMPARISON_TYPE',
    'NUMBER_COMPARISON_TYPE',
    'BOOLEAN_COMPARISON_TYPE',
    'DATETIME_COMPARISON_TYPE',
    'ENTITY_ID_COMPARISON_TYPE',
  ]),
  property: nonEmpty,
  operator: nonEmpty,
  value: nullish(string),
  description: text,
});
const segment = strict({
  key,
  name: nonEmpty,
  description: text,
  match_type: nullish(oneOf(['ALL_MATCH_TYPE', 'ANY_MATCH_TYPE'])),
  constraints: nullish(list(constraint)),
});

/** Whether the document schema (schema.ts) accepts `value`: true only when it certainly does. */
export const conformsToSchema: Check = strict({
  version: nullish(oneOf(VERSIONS)),
  namespace: nullish(either(key, strict({ key, name: text, description: text }))),
  flags: nullish(list(flag)),
  segments: nullish(list(segment)),
});
