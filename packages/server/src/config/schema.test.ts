import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { Ajv } from 'ajv';
import { parse } from 'yaml';
import { ConfigError } from './config-error.ts';
import { resolveConfig } from './load.ts';
import { configSchema, shownDefault } from './schema.ts';
import { isDefaultOrEmpty, type Setting } from './setting.ts';
import { SETTINGS } from './settings.ts';
import { renderConfigTemplate } from './template.ts';

// The shipped JSON Schema and the loader must agree: for every key, its default, a value of the
// wrong type and a valid non-default value are accepted by both or refused by both.

const validate = new Ajv({ allErrors: true, strict: false }).compile(configSchema());
const cwd = '/srv/app';

function loaderAccepts(document: unknown): boolean {
  try {
    resolveConfig(document, { env: {}, cwd });
    return true;
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    return false;
  }
}

function documentWith(key: string, value: unknown): Record<string, unknown> {
  let node: unknown = value;
  for (const segment of key.replace('*', 'main').split('.').reverse()) node = { [segment]: node };
  return node as Record<string, unknown>;
}

function agree(document: unknown, expected: boolean, what: string): void {
  const bySchema = validate(document);
  assert.equal(bySchema, expected, `schema on ${what}: ${JSON.stringify(validate.errors?.slice(0, 2))}`);
  assert.equal(loaderAccepts(document), expected, `loader on ${what}`);
}

/**
 * Keys whose example only makes sense with other keys: Flipt's split database keys, and TLS,
 * JWT, authorization and webhook settings that need their companions (checked in
 * packages/server/test/auth).
 */
const TOGETHER = new Set([
  'db.protocol',
  'db.host',
  'db.port',
  'db.name',
  'db.user',
  'db.password',
  'server.protocol',
  'authentication.methods.jwt.enabled',
  'authentication.methods.oidc.enabled',
  'authentication.methods.github.enabled',
  'authentication.methods.jwt.jwks_url',
  'authorization.required',
  'audit.sinks.webhook.enabled',
]);
const EXAMPLES: Readonly<Record<string, unknown>> = {
  'db.url': 'file:/tmp/ensign-schema-test.db',
  // The other types need their own keys too (a repository, a bucket).
  'storage.type': 'local',
};

function exampleOf(setting: Setting): unknown {
  return setting.key in EXAMPLES ? EXAMPLES[setting.key] : setting.kind.example;
}

function exampleAccepted(setting: Setting): boolean {
  const parsed = setting.kind.parse(setting.key, exampleOf(setting));
  if (!setting.apply) return setting.noEffect !== undefined || isDefaultOrEmpty(setting, parsed);
  return setting.refuse?.(parsed) === undefined;
}

describe('the config JSON Schema agrees with the loader', () => {
  for (const setting of SETTINGS) {
    // A key written in the older form has no declared type for the schema to describe.
    it(setting.key, { skip: setting.legacy ? 'declared in the older form: give it a kind' : false }, () => {
      const shown = shownDefault(setting);
      if (shown !== undefined) agree(documentWith(setting.key, shown), true, 'the default');
      agree(documentWith(setting.key, { nested: { deeper: true } }), false, 'a mapping');
      if (!TOGETHER.has(setting.key)) {
        agree(documentWith(setting.key, exampleOf(setting)), exampleAccepted(setting), 'an example value');
      }
    });
  }

  it('on the split database keys given together', () =>
    agree(
      { db: { protocol: 'postgres', host: 'db', port: 5432, name: 'f', user: 'u', password: 'p' } },
      true,
      'db.*',
    ));

  it('on unknown keys at any depth', () => {
    agree({ storage: { tpye: 'local' } }, false, 'storage.tpye');
    agree({ sever: {} }, false, 'sever');
  });

  it('on the file `config init` writes, commented and live', () => {
    agree(parse(renderConfigTemplate()), true, 'the commented template');
    agree(parse(renderConfigTemplate({ commented: false })), true, 'the live template');
  });
});

describe('config init template', () => {
  it('lists every implemented key, and its live form resolves to the defaults', () => {
    const text = renderConfigTemplate();
    for (const setting of SETTINGS.filter((s) => s.apply)) {
      const name = setting.key.split('.').at(-1)!;
      assert.match(text, new RegExp(`^#\\s+${name}:`, 'm'), setting.key);
    }
    const live = resolveConfig(parse(renderConfigTemplate({ commented: false })), { env: {}, cwd }).config;
    const defaults = resolveConfig({}, { env: {}, cwd }).config;
    assert.deepEqual(live, defaults);
  });
});

describe('the shipped schema file', () => {
  it('is the generated schema (regenerate: npm run ensign -- config schema > packages/server/config.schema.json)', () => {
    const shipped = readFileSync(new URL('../../config.schema.json', import.meta.url), 'utf8');
    assert.deepEqual(JSON.parse(shipped), configSchema());
  });
});
