import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { Prng } from '../../test/conformance/prng.ts';
import { readonlyStyleFeatureFiles } from '../../test/datasets/readonly-style.ts';
import { parseFastYaml } from './fast-yaml.ts';
import { parseFeatureFile } from './parse.ts';
import { validateFeatures } from './validate.ts';

// The fast YAML parser stands in for the `yaml` library on the plain block style most feature
// files use. Whenever it accepts a text it must read exactly what the library reads; whatever it
// gives up on goes to the library. Checked on seeded, generated documents in many styles.

/** What the `yaml` library reads, or undefined when it reports an error (the fast path must not accept those either). */
function library(text: string): unknown[] | undefined {
  const docs = parseAllDocuments(text);
  if (docs.some((d) => d.errors.length > 0)) return undefined;
  return docs.map((d) => d.toJS({ maxAliasCount: 1000 })).filter((v) => v !== null && v !== undefined);
}

function fast(text: string): unknown[] | undefined {
  const parsed = parseFastYaml(text);
  return parsed?.docs.map((d) => d.value).filter((v) => v !== null);
}

const TRICKY = [
  'true',
  'True',
  'TRUE',
  'false',
  'yes',
  'no',
  'on',
  'off',
  'y',
  '~',
  'null',
  'Null',
  '',
  '0',
  '-0',
  '007',
  '12',
  '-3',
  '+4',
  '1.5',
  '.5',
  '5.',
  '1e3',
  '-2.5E-3',
  '1_000',
  '0x1F',
  '0o17',
  '.inf',
  '-.Inf',
  '.nan',
  '9007199254740993',
  '2024-01-01',
  '2024-01-01T10:00:00Z',
  '12:30',
  'plain',
  'two words',
  'a: b',
  'a:b',
  'a #b',
  'a#b',
  '#x',
  '- x',
  '-x',
  "it's",
  '"q"',
  ' lead',
  'trail ',
  'é🚩',
  ':',
  '-',
  '[x]',
  '{x}',
  '[]',
  '{}',
  '*a',
  '&a',
  '!t',
  '|',
  '>',
  '%',
  '@x',
  '`x',
  ',',
  '?x',
  'a\tb',
  'back\\slash',
  'new\nline',
  'tab\tin',
  'café',
  'x,y',
  'a]',
  'a}',
];

function quoteDouble(s: string): string {
  return JSON.stringify(s);
}

function quoteSingle(s: string): string | undefined {
  return s.includes('\n') ? undefined : `'${s.replaceAll("'", "''")}'`;
}

const COMMON = [
  'flag_001',
  'Some Description',
  'VARIANT_FLAG_TYPE',
  'true',
  'false',
  '50',
  '33.3',
  'eq',
  'user@example.com',
  'x',
];

/** A scalar in a random style: plain (as is, whatever the library makes of it), single or double quoted. */
function scalar(prng: Prng, value: string): string {
  const style = prng.int(3);
  if (style === 1) return quoteSingle(value) ?? quoteDouble(value);
  if (style === 2 || value.includes('\n')) return quoteDouble(value);
  return value;
}

const KEYS = ['key', 'name', 'flags', 'a b', 'x-y', 'under_score', '1', 'true', 'ns.key', 'é', 'k#', 'z'];

interface Emitter {
  prng: Prng;
  lines: string[];
}

function comment(e: Emitter): string {
  return e.prng.chance(0.15) ? ` # ${e.prng.pick(['note', 'a: b', '- x', '#'])}` : '';
}

function emitValue(e: Emitter, indent: number, depth: number, context: 'map' | 'seq', head: string): void {
  const kind = depth > 3 ? 0 : e.prng.int(4);
  if (kind === 0 || kind === 1) {
    const pool = e.prng.chance(0.75) ? COMMON : TRICKY;
    const value = e.prng.chance(0.1) ? e.prng.pick(['[]', '{}']) : scalar(e.prng, e.prng.pick(pool));
    e.lines.push(`${head}${head.endsWith(':') ? ' ' : ''}${value}${comment(e)}`);
    return;
  }
  e.lines.push(`${head}${comment(e)}`);
  // Sequences under a key are written both indented and at the key's column, as people do.
  const childIndent =
    kind === 3 && context === 'map' && e.prng.chance(0.5) ? indent : indent + e.prng.pick([2, 4]);
  if (kind === 2) emitMap(e, indent + e.prng.pick([2, 3, 4]), depth + 1);
  else emitSeq(e, childIndent, depth + 1);
}

function emitMap(e: Emitter, indent: number, depth: number): void {
  const keys = e.prng.some(KEYS, 1, 5).filter((k, i, all) => all.indexOf(k) === i);
  for (const key of keys) {
    if (e.prng.chance(0.08)) e.lines.push(`${' '.repeat(e.prng.int(indent + 2))}# a comment line`);
    const written = e.prng.chance(0.03) ? quoteDouble(key) : key;
    emitValue(e, indent, depth, 'map', `${' '.repeat(indent)}${written}:`);
  }
}

function emitSeq(e: Emitter, indent: number, depth: number): void {
  const count = 1 + e.prng.int(4);
  for (let i = 0; i < count; i++) {
    if (depth < 4 && e.prng.chance(0.4)) {
      // `- key: value` followed by the rest of the map aligned with `key`.
      const inner: Emitter = { prng: e.prng, lines: [] };
      emitMap(inner, indent + 2, depth + 1);
      const [first, ...rest] = inner.lines;
      e.lines.push(`${' '.repeat(indent)}- ${first!.trimStart()}`, ...rest);
    } else {
      emitValue(e, indent, depth, 'seq', `${' '.repeat(indent)}-`);
    }
  }
}

function document(prng: Prng): string {
  const e: Emitter = { prng, lines: [] };
  const docs = 1 + (prng.chance(0.2) ? prng.int(3) : 0);
  for (let d = 0; d < docs; d++) {
    if (d > 0 || prng.chance(0.2)) e.lines.push(prng.pick(['---', '--- # next']));
    if (prng.chance(0.85)) emitMap(e, 0, 0);
    else emitSeq(e, 0, 0);
  }
  const eol = prng.chance(0.1) ? '\r\n' : '\n';
  return e.lines.join(eol) + (prng.chance(0.8) ? eol : '');
}

test('on generated documents the fast parser reads what the yaml library reads, or gives up', () => {
  const prng = new Prng(1130);
  let accepted = 0;
  const total = 3000;
  for (let i = 0; i < total; i++) {
    const text = document(prng);
    const ours = fast(text);
    if (ours === undefined) continue;
    const theirs = library(text);
    assert.notEqual(theirs, undefined, `fast parser accepted a text the library rejects:\n${text}`);
    assert.deepEqual(ours, theirs, `document ${i} reads differently:\n${text}`);
    accepted++;
  }
  // The comparison means something only if the fast path takes a good share of the documents.
  assert.ok(accepted > total / 8, `fast path accepted only ${accepted} of ${total}`);
});

test('on the generated feature files (Flipt export style) the fast path is taken and agrees', () => {
  for (const file of readonlyStyleFeatureFiles({ coverage: 10 }).slice(0, 1)) {
    const ours = fast(file.content);
    assert.ok(ours, `${file.path} should take the fast path`);
    assert.deepEqual(ours, library(file.content));
  }
});

test('problems point at the same lines on the fast path (lines recorded on a second parse) as through the library', () => {
  const [file] = readonlyStyleFeatureFiles().slice(0, 1);
  const lines = file!.content.split('\n');
  // A duplicate flag key, an unknown segment and a wrongly typed field, far into the file.
  const flagLines = lines.flatMap((l, i) => (/^- key: flag_/.test(l) ? [i] : []));
  lines[flagLines[40]!] = lines[flagLines[3]!]!;
  const segmentLine = lines.findIndex((l, i) => i > flagLines[20]! && l.startsWith('  - segment: '));
  lines[segmentLine] = '  - segment: no_such_segment';
  const enabledLine = lines.findIndex((l, i) => i > flagLines[30]! && l.startsWith('  enabled: '));
  lines[enabledLine] = '  enabled: maybe';
  const fastText = lines.join('\n');
  // A tag is outside the subset: the same document, line for line, read by the library.
  const firstEnabled = lines.indexOf('  enabled: true');
  const libraryText = lines.map((l, i) => (i === firstEnabled ? '  enabled: !!bool true' : l)).join('\n');
  assert.ok(parseFastYaml(fastText, false), 'the fast path takes the file with problems');
  assert.equal(parseFastYaml(libraryText, false), undefined, 'the tagged copy goes to the library');

  const fastProblems = validateFeatures([{ path: 'f.yml', content: fastText }]);
  assert.equal(fastProblems.length, 3, JSON.stringify(fastProblems));
  assert.deepEqual(fastProblems, validateFeatures([{ path: 'f.yml', content: libraryText }]));
  assert.deepEqual(
    fastProblems.map((p) => p.line),
    [segmentLine + 1, enabledLine + 1, flagLines[40]! + 1].sort((a, b) => a - b),
  );
});

test('constructs outside the subset go to the library with the same result', () => {
  const texts = [
    'a: &x 1\nb: *x\n',
    'a: |\n  two\n  lines\n',
    'a: >\n  folded\n  text\n',
    'a: {b: 1, c: [2, 3]}\n',
    '? complex\n: key\n',
    'a: "multi\n  line"\n',
    'a: !!str 12\n',
    '%YAML 1.2\n---\na: 1\n',
  ];
  for (const content of texts) {
    assert.equal(fast(content), undefined, `fast path should give up on ${JSON.stringify(content)}`);
    const parsed = parseFeatureFile({ path: 'x.yml', content });
    assert.deepEqual(
      parsed.documents.map((d) => d.value),
      library(content),
    );
  }
});

test('a byte-order mark at the start of a YAML or JSON file is ignored', () => {
  const yaml = parseFeatureFile({ path: 'f.yml', content: '\ufeffnamespace: default\nflags: []\n' });
  assert.deepEqual(yaml.problems, []);
  assert.deepEqual(yaml.documents[0]!.value, { namespace: 'default', flags: [] });
  const json = parseFeatureFile({ path: 'f.json', content: '\ufeff{"namespace":"default"}' });
  assert.deepEqual(json.problems, []);
  assert.deepEqual(json.documents[0]!.value, { namespace: 'default' });
});
