import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { UNARY_FAST_PATH_VARIABLE, unaryFastPath } from './support/fast-path-mode.ts';

// The plain unary calls the raw HTTP/2 fast path answers must get the same answers from Connect,
// the library it stands in for: the whole gRPC suite runs once more here with the fast path off.

const HERE = fileURLToPath(new URL('.', import.meta.url));
const SUITE = readdirSync(HERE)
  .filter((name) => name.endsWith('.test.ts') && name !== 'slow-path.test.ts')
  .map((name) => `${HERE}${name}`);

test('the gRPC suite passes with every unary call sent through Connect', {
  skip: !unaryFastPath,
  timeout: 300_000,
}, () => {
  // NODE_TEST_CONTEXT would make the child report to this runner instead of running on its own.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env;
  const run = spawnSync(process.execPath, ['--test', '--test-reporter=spec', ...SUITE], {
    env: { ...env, [UNARY_FAST_PATH_VARIABLE]: 'off' },
    encoding: 'utf8',
    timeout: 280_000,
  });
  assert.equal(run.status, 0, `gRPC suite failed with the fast path off:\n${run.stdout}\n${run.stderr}`);
  const passed = Number(/ℹ pass (\d+)/.exec(run.stdout)?.[1] ?? 0);
  assert.ok(passed >= 40, `expected the whole suite to run, saw ${passed} passing tests:\n${run.stdout}`);
});
