import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ensign-export-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const flags = join(dir, 'flags');
const config = join(dir, 'config.yml');
writeFileSync(config, `storage:\n  type: local\n  local:\n    path: ${JSON.stringify(flags)}\n`);
mkdirSync(flags);
writeFileSync(
  join(flags, 'features.yml'),
  `version: "1.4"
namespace: default
flags:
  - key: banner
    name: Banner
    type: BOOLEAN_FLAG_TYPE
    enabled: true
---
version: "1.4"
namespace: mobile
flags:
  - key: offline
    name: Offline
    type: BOOLEAN_FLAG_TYPE
    enabled: false
`,
);

const namespacesOf = (yaml: string) =>
  parseAllDocuments(yaml).map((doc) => {
    const value = doc.toJS() as { namespace: { key: string } | string; flags: { key: string }[] };
    return {
      namespace: typeof value.namespace === 'string' ? value.namespace : value.namespace.key,
      flags: value.flags.map((f) => f.key),
    };
  });

describe('ensign export', () => {
  it('writes the default namespace of the configured storage as Flipt YAML', async () => {
    const result = await runCli(['export', '--config', config]);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(namespacesOf(result.stdout), [{ namespace: 'default', flags: ['banner'] }]);
    assert.equal(result.stderr, '', 'stderr stays quiet on success');
  });

  it('exports the chosen namespaces, or all of them', async () => {
    const chosen = await runCli(['export', '--config', config, '--namespaces', 'mobile']);
    assert.deepEqual(namespacesOf(chosen.stdout), [{ namespace: 'mobile', flags: ['offline'] }]);
    const all = await runCli(['export', '--config', config, '--all-namespaces']);
    assert.deepEqual(
      namespacesOf(all.stdout).map((ns) => ns.namespace),
      ['default', 'mobile'],
    );
  });

  it('writes a file with a header line that can be imported back', async () => {
    const output = join(dir, 'out.yml');
    const result = await runCli(['export', '--config', config, '-o', output]);
    assert.equal(result.code, 0, result.stderr);
    const text = readFileSync(output, 'utf8');
    assert.match(
      text.split('\n')[0]!,
      /^# exported by Ensign \(\d+\.\d+\.\d+\) on \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/,
    );
    writeFileSync(join(dir, 'reimport.features.yml'), text);
    const check = await runCli(['validate', join(dir, 'reimport.features.yml')]);
    assert.equal(check.code, 0, check.stdout);
  });

  it('names an unknown namespace', async () => {
    const result = await runCli(['export', '--config', config, '--namespaces', 'nope']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /ensign: namespace "nope" not found \(available: default, mobile\)/);
  });

  it('refuses --namespaces together with --all-namespaces', async () => {
    const result = await runCli(['export', '--namespaces', 'a', '--all-namespaces']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /use either --namespaces or --all-namespaces/);
  });

  it('writes JSON for a .json file, and `ensign import` reads it back (every namespace)', async () => {
    const output = join(dir, 'flags.json');
    const exported = await runCli(['export', '--config', config, '--all-namespaces', '-o', output]);
    assert.equal(exported.code, 0, exported.stderr);
    const text = readFileSync(output, 'utf8');
    assert.equal(text[0], '{', 'JSON, no comment line');
    const first = JSON.parse(text.slice(0, text.indexOf('\n}\n') + 2)) as { namespace: { key: string } };
    assert.equal(first.namespace.key, 'default');

    const database = join(dir, 'roundtrip.db');
    const imported = await runCli(['import', output, '--url', `file:${database}`]);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stderr, /imported 2 flags/);

    // The database now exports what the directory did.
    const dbConfig = join(dir, 'db-config.yml');
    writeFileSync(dbConfig, `db:\n  url: ${JSON.stringify(`file:${database}`)}\n`);
    const fromDatabase = await runCli(['export', '--config', dbConfig, '--all-namespaces']);
    const fromDirectory = await runCli(['export', '--config', config, '--all-namespaces']);
    assert.equal(fromDatabase.code, 0, fromDatabase.stderr);
    assert.deepEqual(namespacesOf(fromDatabase.stdout), namespacesOf(fromDirectory.stdout));
  });

  it('lets --format override the extension, also on stdout', async () => {
    const yamlInJson = join(dir, 'odd.json');
    assert.equal(
      (await runCli(['export', '--config', config, '--format', 'yaml', '-o', yamlInJson])).code,
      0,
    );
    assert.match(readFileSync(yamlInJson, 'utf8'), /^# exported by Ensign/);
    const json = await runCli(['export', '--config', config, '--format', 'json']);
    assert.equal((JSON.parse(json.stdout) as { flags: { key: string }[] }).flags[0]!.key, 'banner');
    const bad = await runCli(['export', '--config', config, '--format', 'xml']);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /argument 'xml' is invalid. Allowed choices are json, yaml/);
  });
});
