import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from './run-cli.ts';

const dir = mkdtempSync(join(tmpdir(), 'ensign-program-'));
after(() => rmSync(dir, { recursive: true, force: true }));

describe('ensign command line', () => {
  it('names an unknown command, suggests the closest one and shows the help', async () => {
    const result = await runCli(['exprot']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /^ensign: unknown command 'exprot' \(did you mean 'export'\?\)/);
    assert.match(result.stderr, /Usage: ensign \[options\] \[command\]/);
    assert.doesNotMatch(result.stderr, /too many arguments/);
  });

  it('names an unknown flag and shows the command’s help', async () => {
    const result = await runCli(['export', '--bogus']);
    assert.equal(result.code, 1);
    assert.match(result.stderr, /unknown option '--bogus'/);
    assert.match(result.stderr, /Usage: ensign export/);
  });

  it('tells the truth about the default storage in server --help', async () => {
    const result = await runCli(['server', '--help']);
    assert.equal(result.code, 0);
    assert.match(result.stdout.replace(/\s+/g, ' '), /embedded SQLite database/);
    assert.doesNotMatch(result.stdout, /serving \.\/examples/);
  });
});

describe('ensign config', () => {
  it('init writes a commented config the server accepts, and refuses to overwrite it', async () => {
    const path = join(dir, 'conf', 'config.yml');
    const first = await runCli(['config', 'init', '--output', path]);
    assert.equal(first.code, 0, first.stderr);
    const text = readFileSync(path, 'utf8');
    assert.match(text, /^# {3}http_port: 8080$/m);
    assert.match(text, /^# {3}# Ensign: one line per request/m);

    writeFileSync(path, `${text}# edited\n`);
    const again = await runCli(['config', 'init', '--output', path]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already exists; pass --force to overwrite it/);
    assert.match(readFileSync(path, 'utf8'), /# edited\n$/);

    const forced = await runCli(['config', 'init', '--output', path, '--force']);
    assert.equal(forced.code, 0);
    assert.doesNotMatch(readFileSync(path, 'utf8'), /# edited/);
  });

  it('init writes to the user config directory by default, where the server finds it', async () => {
    const home = join(dir, 'xdg');
    const result = await runCli(['config', 'init'], { env: { XDG_CONFIG_HOME: home } });
    assert.equal(result.code, 0, result.stderr);
    assert.ok(existsSync(join(home, 'ensign', 'config.yml')));
    // An invalid edit there is what the next command reads (proving it is looked up).
    writeFileSync(join(home, 'ensign', 'config.yml'), 'server:\n  http_prot: 1\n');
    const exported = await runCli(['export'], { env: { XDG_CONFIG_HOME: home } });
    assert.equal(exported.code, 1);
    assert.match(
      exported.stderr,
      /unknown config key server\.http_prot \(did you mean server\.http_port\?\)/,
    );
  });

  it('schema prints the JSON Schema of the config file', async () => {
    const result = await runCli(['config', 'schema']);
    assert.equal(result.code, 0);
    const schema = JSON.parse(result.stdout) as { properties: Record<string, unknown> };
    assert.ok(schema.properties['server'] && schema.properties['storage']);
  });
});
