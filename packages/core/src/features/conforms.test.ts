import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { Prng } from '../../test/conformance/prng.ts';
import { readonlyStyleFeatureFiles } from '../../test/datasets/readonly-style.ts';
import { conformsToSchema } from './conforms.ts';
import { parseFeatureFile } from './parse.ts';
import { featureSchemas } from './schema.ts';

// conformsToSchema lets a document skip the zod schema, so it must never say yes where the
// schema says no. Checked on seeded mutations of real documents: every yes is a schema yes,
// and nearly every schema yes is a yes too (otherwise the fast path would rarely be taken).

const INVALID_DIR = new URL('../../test/features/invalid/', import.meta.url);

function documents(): Record<string, unknown>[] {
  const files = [
    ...readonlyStyleFeatureFiles({ coverage: 20, seed: 7 }),
    ...readdirSync(INVALID_DIR).map((name) => ({
      path: name,
      content: readFileSync(new URL(name, INVALID_DIR), 'utf8'),
    })),
  ];
  return files
    .flatMap((file) => parseFeatureFile(file).documents.map((d) => d.value))
    .filter((v): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v));
}

const REPLACEMENTS: unknown[] = [
  undefined,
  null,
  '',
  'x',
  'two words',
  'segment_001',
  'variant_001',
  'a,b',
  'OR_SEGMENT_OPERATOR',
  'AND_SEGMENT_OPERATOR',
  'BOOLEAN_FLAG_TYPE',
  'VARIANT_FLAG_TYPE',
  'STRING_COMPARISON_TYPE',
  'ANY_MATCH_TYPE',
  'eq',
  '1.4',
  '1.0',
  0,
  1,
  -1,
  50,
  1.5,
  2 ** 60,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  true,
  false,
  [],
  ['segment_001'],
  ['bad key'],
  [1],
  [null],
  {},
  { key: 'segment_001' },
  { keys: ['segment_001'] },
  { keys: [] },
  { percentage: 10 },
  { variant: 'variant_001', rollout: 10 },
  Object.create(null),
  new Date(0),
];

/** Every path to an object or array inside `value`, with the value there. */
function containers(
  value: unknown,
  path: (string | number)[] = [],
  out: [unknown, (string | number)[]][] = [],
) {
  if (typeof value === 'object' && value !== null) {
    out.push([value, path]);
    for (const [k, v] of Object.entries(value))
      containers(v, [...path, Array.isArray(value) ? Number(k) : k], out);
  }
  return out;
}

/** A small document from a real one: its head and a few of its flags and segments. */
function sample(prng: Prng, doc: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(doc)) {
    out[k] = Array.isArray(v) && v.length > 3 ? prng.some(v, 1, 3) : v;
  }
  return structuredClone(out);
}

function mutate(prng: Prng, doc: Record<string, unknown>): void {
  const all = containers(doc);
  for (let n = 1 + prng.int(2); n > 0; n--) {
    const [node] = prng.pick(all) as [Record<string | number, unknown>, unknown];
    const keys = Object.keys(node);
    const what = prng.int(3);
    if (what === 0 || keys.length === 0) {
      const name = Array.isArray(node)
        ? node.length
        : prng.pick(['key', 'name', 'segment', 'keys', 'value', 'extra', 'rank', 'variants', 'default']);
      node[name] = prng.pick(REPLACEMENTS);
    } else if (what === 1) {
      node[prng.pick(keys)] = structuredClone(prng.pick(REPLACEMENTS));
    } else if (!Array.isArray(node)) {
      delete node[prng.pick(keys)];
    }
  }
}

test('the hand check says yes only where the schema does, and for every valid document read', () => {
  const docs = documents();
  const schema = featureSchemas().document;
  for (const doc of docs) {
    if (schema.safeParse(doc).success) assert.ok(conformsToSchema(doc));
  }
  const prng = new Prng(12);
  let schemaYes = 0;
  let bothYes = 0;
  for (let i = 0; i < 4000; i++) {
    const doc = sample(prng, prng.pick(docs));
    if (i % 5 !== 0) mutate(prng, doc);
    const fast = conformsToSchema(doc);
    const full = schema.safeParse(doc).success;
    if (fast) assert.ok(full, `accepted what the schema rejects: ${JSON.stringify(doc)}`);
    if (full) schemaYes++;
    if (fast && full) bothYes++;
  }
  assert.ok(schemaYes > 500, `too few valid samples (${schemaYes})`);
  assert.ok(bothYes / schemaYes > 0.97, `fast path agreed on ${bothYes} of ${schemaYes} valid samples`);
});

test('importing core and loading valid files builds no zod schema; a problem builds them', () => {
  // A fresh process: other tests in this one have built the schemas already.
  const url = (path: string) => JSON.stringify(new URL(path, import.meta.url).href);
  const script = `
    const { loadFeatures } = await import(${url('../index.ts')});
    const { schemasBuilt } = await import(${url('./schema.ts')});
    const { readonlyStyleFeatureFiles } = await import(${url('../../test/datasets/readonly-style.ts')});
    const before = schemasBuilt();
    const valid = loadFeatures(readonlyStyleFeatureFiles()).problems.length;
    const afterValid = schemasBuilt();
    const invalid = loadFeatures([{ path: 'x.yaml', content: 'flags:\\n- key: a\\n  nmae: A\\n' }]).problems;
    console.log(JSON.stringify([before, valid, afterValid, schemasBuilt(), invalid.map((p) => p.message)]));
  `;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
  const [before, valid, afterValid, afterInvalid, messages] = JSON.parse(out);
  assert.deepEqual([before, valid, afterValid, afterInvalid], [false, 0, false, true]);
  assert.ok(
    messages.some((m: string) => m.includes('unknown field "nmae"')),
    messages.join('\n'),
  );
});
