import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

// Flipt's published fixtures (its readonly integration dataset and its client SDKs' test data)
// are an optional cross-check: the tests that use them run when FLIPT_FIXTURES_DIR names a
// folder holding `flipt-readonly/` and `flipt-client-sdks/`, and are skipped with one line
// saying so otherwise. Nothing else in the suite depends on them.

const VARIABLE = 'FLIPT_FIXTURES_DIR';

function directory(): string | undefined {
  const value = process.env[VARIABLE];
  if (!value) return undefined;
  const dir = resolve(value);
  if (!existsSync(join(dir, 'flipt-readonly'))) {
    throw new Error(`${VARIABLE}=${value} does not hold flipt-readonly/ (unset it to skip the cross-checks)`);
  }
  return dir;
}

const DIR = directory();

/** `skip` option for node:test: false when the fixtures are there, else the reason, shown once per test. */
export const skipWithoutFliptFixtures: false | string = DIR
  ? false
  : `Flipt's fixtures not available (set ${VARIABLE} to run this cross-check)`;

/** Absolute path of a fixture file or folder; throws when the fixtures are absent (guard with the skip). */
export function fliptFixturePath(relative: string): string {
  if (!DIR) throw new Error(`${VARIABLE} is not set`);
  return join(DIR, relative);
}

export function readFliptFixture(relative: string): string {
  return readFileSync(fliptFixturePath(relative), 'utf8');
}
