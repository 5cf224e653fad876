import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { validateFeatures } from '../../src/features/index.ts';

// Every file in invalid/ with the exact problems (line, message) a user gets for it.
const EXPECTED: Record<string, [number, string][]> = {
  'bad-operators.yaml': [
    [
      8,
      'segment "s" constraint 1 operator "gt" is not valid for STRING_COMPARISON_TYPE (allowed: eq, neq, empty, notempty, prefix, suffix, isoneof, isnotoneof, contains, notcontains)',
    ],
    [12, 'segment "s" constraint 2 has unknown operator "le" (did you mean "lte"?)'],
    [17, 'segment "s" constraint 3 field "value" must be a string: quote it, e.g. value: "30"'],
    [19, 'segment "s" constraint 4 property must be "entityId" for ENTITY_ID_COMPARISON_TYPE (got "user")'],
    [22, 'segment "s" constraint 5 operator "eq" requires a value'],
  ],
  'bad.json': [[6, 'flag "f" field "enabled" must be true or false (got the string "true")']],
  'boolean-flag.yaml': [
    [7, 'flag "b" variant "v" cannot be the default: BOOLEAN_FLAG_TYPE flags have no default variant'],
    [8, 'flag "b" is a BOOLEAN_FLAG_TYPE flag and cannot have rules (use rollouts)'],
    [
      12,
      'flag "v" is a VARIANT_FLAG_TYPE flag and cannot have rollouts (use rules, or set type: BOOLEAN_FLAG_TYPE)',
    ],
  ],
  'duplicates.yaml': [
    [6, 'flag "x" has duplicate variant key "v" (first defined at duplicates.yaml:5)'],
    [7, 'duplicate flag key "x" (first defined at duplicates.yaml:2)'],
    [12, 'duplicate segment key "s" (first defined at duplicates.yaml:10)'],
  ],
  'enums.yaml': [
    [4, 'flag "f" field "type" has invalid value "BOOLEAN" (allowed: VARIANT_FLAG_TYPE, BOOLEAN_FLAG_TYPE)'],
    [5, 'flag "f" field "enabled" must be true or false (got the string "yes")'],
    [9, 'segment "s" field "match_type" has invalid value "ALL" (allowed: ALL_MATCH_TYPE, ANY_MATCH_TYPE)'],
    [
      11,
      'segment "s" constraint 1 field "type" has invalid value "STRING" (allowed: STRING_COMPARISON_TYPE, NUMBER_COMPARISON_TYPE, BOOLEAN_COMPARISON_TYPE, DATETIME_COMPARISON_TYPE, ENTITY_ID_COMPARISON_TYPE)',
    ],
  ],
  'missing-fields.yaml': [
    [2, 'flag 1 is missing required field "key"'],
    [3, 'flag "no_name" is missing required field "name"'],
    [4, 'flag key "bad key" is invalid: keys may contain only letters, digits, "-", "_" and ","'],
    [7, 'segment "s" is missing required field "name"'],
    [9, 'segment "s" constraint 1 is missing required field "type"'],
    [12, 'segment "s" constraint 2 is missing required field "property"'],
  ],
  'oneof-too-many.yaml': [
    [8, 'segment "big" constraint 1 isoneof value has 101 items (at most 100 allowed)'],
  ],
  'oneof.yaml': [
    [8, 'segment "s" constraint 1 isoneof value must be a JSON array of strings: item 2 is 1'],
    [12, 'segment "s" constraint 2 isnotoneof value must be a JSON array of numbers: item 2 is "2"'],
    [
      16,
      'segment "s" constraint 3 isoneof value must be a JSON array of strings: Unexpected token \'o\', "not json" is not valid JSON',
    ],
    [
      20,
      'segment "s" constraint 4 value "2024-13-01" is not a valid DATETIME: use RFC 3339 (2024-01-31T10:00:00Z) or YYYY-MM-DD',
    ],
    // The same rule set as import and the API: values that could never match are refused.
    [24, 'segment "s" constraint 5 value "notanumber" is not a number'],
    [28, 'segment "s" constraint 6 value "0x10" is not a number'],
    [
      32,
      'segment "s" constraint 7 value "2024-02-30T00:00:00Z" is not a valid DATETIME: use RFC 3339 (2024-01-31T10:00:00Z) or YYYY-MM-DD',
    ],
  ],
  'ranges.yaml': [
    [11, 'flag "f" rule 1 distribution 1 rollout -1 is out of range (0-100)'],
    [17, 'flag "b" rollout 1 threshold percentage 120 is out of range (0-100)'],
    [18, 'flag "b" rollout 2 must have exactly one of "segment" or "threshold"'],
    [22, 'flag "b" rollout 3 must have exactly one of "segment" or "threshold"'],
  ],
  'rule-operator.yaml': [
    [
      7,
      'flag "f" rule 1 segment field "operator" has invalid value "XOR_SEGMENT_OPERATOR" (did you mean "OR_SEGMENT_OPERATOR"?)',
    ],
  ],
  'stream.yaml': [
    [8, 'flag "f" is missing required field "name"'],
    [10, 'flag "f" rule 1 references unknown segment "nowhere"'],
  ],
  'unknown-fields.yaml': [
    [2, 'document has unknown field "flgs" (did you mean "flags"?)'],
    [6, 'flag "f" has unknown field "desciption" (did you mean "description"?)'],
    [9, 'flag "f" variant "v" has unknown field "attachement" (did you mean "attachment"?)'],
  ],
  'unknown-segment.yaml': [
    [9, 'flag "flag_001" rule 2 references unknown segment "segment_999"'],
    [11, 'flag "flag_001" rule 2 distribution 1 references unknown variant "v9" (did you mean "v1"?)'],
  ],
  'unsupported-version.yaml': [[1, 'unsupported version: 2.0 (supported: 1.0, 1.1, 1.2, 1.3, 1.4)']],
  'version-gates-12.yaml': [
    [
      8,
      'flag "f" rollout 1 segment field "keys" requires version "1.2" or later (document has version "1.1")',
    ],
  ],
  'version-gates.yaml': [
    [5, 'flag "f" field "type" requires version "1.1" or later (document has version "1.0")'],
    [6, 'flag "f" field "metadata" requires version "1.3" or later (document has version "1.0")'],
    [8, 'flag "f" field "rollouts" requires version "1.1" or later (document has version "1.0")'],
    [15, 'flag "g" variant "v" field "default" requires version "1.3" or later (document has version "1.0")'],
  ],
};

const dir = new URL('./invalid/', import.meta.url);

test('every invalid fixture has its expected problems', () => {
  assert.deepEqual(readdirSync(dir).sort(), Object.keys(EXPECTED).sort());
});

for (const [file, expected] of Object.entries(EXPECTED)) {
  test(`invalid/${file}`, () => {
    const problems = validateFeatures([{ path: file, content: readFileSync(new URL(file, dir), 'utf8') }]);
    assert.deepEqual(
      problems.map((p) => [p.line, p.message]),
      expected,
    );
    for (const p of problems) assert.equal(p.file, file);
  });
}

// Syntax errors live here rather than in invalid/ so the repository-wide formatter can parse every file.
test('YAML and JSON syntax errors carry their line', () => {
  const yaml = validateFeatures([
    { path: 'syntax.yaml', content: 'flags:\n- key: f\n  name: [unclosed\nsegments: []\n' },
  ]);
  assert.deepEqual(
    yaml.map((p) => [p.line, p.message]),
    [[4, 'invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]']],
  );
  const json = validateFeatures([
    { path: 'broken.json', content: '{\n  "flags": [\n    { "key": "f", }\n  ]\n}\n' },
  ]);
  assert.deepEqual(
    json.map((p) => p.line),
    [3],
  );
  assert.match(json[0]!.message, /^invalid JSON: /);
});
