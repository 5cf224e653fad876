import assert from 'node:assert/strict';
import { test } from 'node:test';
import { validateFeatures } from './validate.ts';

// Problems in JSON feature files point at the line to edit, whatever the layout: pretty-printed,
// one line, several documents in a row, escaped keys, duplicate keys.

const flag = (key: string, extra: Record<string, unknown> = {}) => ({
  key,
  name: key,
  type: 'BOOLEAN_FLAG_TYPE',
  enabled: true,
  ...extra,
});

test('a duplicate flag in pretty-printed JSON names both lines', () => {
  const content = JSON.stringify({ version: '1.4', flags: [flag('a'), flag('b'), flag('a')] }, null, 2);
  const lines = content.split('\n');
  const keyLines = lines.flatMap((text, i) => (text.includes('"key": "a"') ? [i + 1] : []));
  const problems = validateFeatures([{ path: 'flags.json', content }]);
  assert.deepEqual(
    problems.map((p) => [p.line, p.message]),
    [[keyLines[1], `duplicate flag key "a" (first defined at flags.json:${keyLines[0]})`]],
  );
});

test('one-line JSON points at line 1; a second document in a row at its own line', () => {
  const first = JSON.stringify({ version: '1.4', namespace: 'one', flags: [flag('x', { enabled: 'yes' })] });
  const second = JSON.stringify({ version: '1.4', namespace: 'two', flags: [flag('y'), flag('y')] }, null, 2);
  const content = `${first}\n${second}\n`;
  const problems = validateFeatures([{ path: 'flags.json', content }]);
  const secondKeyY = content.split('\n').findLastIndex((l) => l.includes('"key": "y"')) + 1;
  assert.deepEqual(
    problems.map((p) => p.line),
    [1, secondKeyY],
  );
  assert.match(problems[0]!.message, /enabled/);
  assert.match(problems[1]!.message, /duplicate flag key "y"/);
});

test('escaped keys and repeated keys resolve as JSON.parse reads them', () => {
  // The second "flags" wins in JSON.parse; its broken entry is on line 4.
  const content = [
    '{"version": "1.4", "fl\\u0061gs": [',
    '  {"key": "ok", "name": "ok", "type": "BOOLEAN_FLAG_TYPE"}],',
    ' "flags": [',
    '  {"key": "bad", "name": "bad", "type": "BOOLEAN_FLAG_TYPE", "enabled": "no"}]}',
  ].join('\n');
  const problems = validateFeatures([{ path: 'flags.json', content }]);
  assert.equal(problems.length, 1);
  assert.equal(problems[0]!.line, 4);
});
