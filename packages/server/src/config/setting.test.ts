import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultConfig } from './defaults.ts';
import { boolean } from './kinds.ts';
import { mergeSettings, setting } from './setting.ts';
import type { Config } from './types.ts';

// Implementing a key Ensign declared but lacked is one entry: a later `setting(...)` with an
// apply, in either form. Code written against the older `setting(key, (config, raw, key) => …)`
// form keeps working.

describe('settings table', () => {
  const declared = setting('authentication.required', boolean, false, 'require a credential', {
    secret: true,
    refuse: (v) => (v ? 'true is not supported yet' : undefined),
  });

  it('an older-form entry implements a declared key: its apply, the declared type and secrecy', () => {
    const seen: unknown[] = [];
    const [merged] = mergeSettings([
      declared,
      setting('authentication.required', (config: Config, raw: unknown, key: string) => {
        seen.push(raw, key);
        config.authentication.required = raw === true || raw === 'true';
      }),
    ]);
    assert.ok(merged?.apply);
    assert.equal(merged.refuse, undefined, 'implemented now, so no longer refused');
    assert.equal(merged.secret, true);
    assert.equal(merged.kind, boolean, 'values are still checked as declared');
    const config = defaultConfig({});
    merged.apply(config, true, 'true', 'authentication.required');
    assert.equal(config.authentication.required, true);
    assert.deepEqual(seen, ['true', 'authentication.required']);
  });

  it('a typed entry replaces the declaration outright', () => {
    const typed = setting('authentication.required', boolean, false, 'now done', {
      apply: (c, v) => {
        c.authentication.required = v;
      },
    });
    assert.deepEqual(mergeSettings([declared, typed]), [typed]);
  });

  it('an older-form entry for a new key stands alone, marked as such', () => {
    const [entry] = mergeSettings([setting('server.limits.idle_timeout', () => {})]);
    assert.equal(entry?.legacy, true);
    assert.equal(entry?.kind.parse('x', '5s'), '5s', 'the raw value reaches its apply');
  });
});
