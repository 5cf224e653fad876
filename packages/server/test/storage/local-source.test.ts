import assert from 'node:assert/strict';
import { unlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { Snapshot } from '@ensign/core';
import { silentLogger } from '../../src/observability/logger.ts';
import {
  createLocalSource,
  type LocalSource,
  type LocalSourceOptions,
} from '../../src/storage/local/index.ts';
import { booleanFlagFile, featureDir, recordingLogger, waitFor } from './helpers.ts';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

function setup(
  files: Record<string, string>,
  options: Partial<LocalSourceOptions> = {},
  logger = silentLogger(),
) {
  const dir = featureDir(files);
  const source = createLocalSource(
    { path: dir.root, pollIntervalMs: 60_000, debounceMs: 20, ...options },
    logger,
  );
  cleanups.push(dir.remove, () => source.close());
  return { dir, source };
}

function enabled(source: LocalSource, flagKey: string, namespace = 'default'): boolean {
  const ns = source.current().namespace(namespace);
  assert.ok(ns, `namespace ${namespace} is served`);
  return ns.evaluator.boolean({ namespaceKey: namespace, flagKey, entityId: 'user-1' }).enabled;
}

const BROKEN = `version: "1.4"
namespace: default
flags:
  - key: banner
    name: banner
    type: BOOLEAN_FLAG_TYPE
    enabled: maybe
`;

describe('local source: first load', () => {
  it('serves the flags of the directory, with status ok', async () => {
    const { source } = setup({ 'features.yml': booleanFlagFile('banner', true) });
    await source.start();
    assert.equal(enabled(source, 'banner'), true);
    const status = source.status();
    assert.equal(status.state, 'ok');
    assert.equal(status.error, undefined);
    assert.ok(status.lastSuccessAt);
    assert.equal(source.type, 'local');
    assert.equal(source.readOnly, true);
  });

  it('selects files through .flipt.yml and skips node_modules', async () => {
    const { source } = setup({
      '.flipt.yml': 'version: "1.0"\ninclude:\n  - "flags/**/*.yml"\n',
      'flags/team/a.yml': booleanFlagFile('from-index', true),
      'features.yml': booleanFlagFile('not-included', true),
      'flags/node_modules/x.yml': 'this is: [not valid',
    });
    await source.start();
    const ns = source.current().namespace('default')!;
    assert.ok(ns.flag('from-index'));
    assert.equal(ns.flag('not-included'), undefined);
  });

  it('rejects when the directory does not exist', async () => {
    const source = createLocalSource({ path: '/no/such/flags', pollIntervalMs: 60_000 }, silentLogger());
    await assert.rejects(
      source.start(),
      /cannot load feature files from \/no\/such\/flags:\ndirectory \/no\/such\/flags does not exist/,
    );
  });

  it('rejects listing file:line problems when the first load is broken', async () => {
    const { source } = setup({ 'features.yml': BROKEN });
    await assert.rejects(source.start(), (error: Error) => {
      assert.match(error.message, /cannot load feature files from /);
      assert.match(error.message, /^features\.yml:7: .+/m);
      return true;
    });
  });
});

describe('local source: changes', () => {
  it('answers from an edited file without a restart (file events)', async () => {
    const { dir, source } = setup({ 'features.yml': booleanFlagFile('banner', true) });
    await source.start();
    await new Promise((resolve) => setTimeout(resolve, 100)); // let the recursive watch settle
    dir.write('features.yml', booleanFlagFile('banner', false));
    await waitFor(() => !enabled(source, 'banner'), 'the edited answer');
    assert.equal(source.status().state, 'ok');
  });

  it('picks up changes by polling when file events are off', async () => {
    const { dir, source } = setup(
      { 'features.yml': booleanFlagFile('banner', true) },
      { pollIntervalMs: 50, fileEvents: false },
    );
    await source.start();
    dir.write('features.yml', booleanFlagFile('banner', false));
    await waitFor(() => !enabled(source, 'banner'), 'the polled answer');
  });

  it('keeps serving the last good snapshot through a broken edit, then recovers', async () => {
    const { logger, records } = recordingLogger();
    const { dir, source } = setup({ 'features.yml': booleanFlagFile('banner', true) }, {}, logger);
    await source.start();
    const good = source.current();

    dir.write('features.yml', BROKEN);
    await source.refresh();
    assert.equal(source.current(), good, 'the old snapshot is still served');
    assert.equal(enabled(source, 'banner'), true);
    const degraded = source.status();
    assert.equal(degraded.state, 'degraded');
    assert.match(degraded.error ?? '', /^features\.yml:7: .+/);
    assert.ok(degraded.lastFailureAt);

    await source.refresh();
    await source.refresh();
    const warnings = records.filter((r) => r['level'] === 'warn');
    assert.equal(warnings.length, 1, 'a problem is logged once, not on every poll');
    assert.match(String(warnings[0]!['problems']), /features\.yml:7:/);

    dir.write('features.yml', booleanFlagFile('banner', false));
    await source.refresh();
    assert.equal(enabled(source, 'banner'), false);
    assert.equal(source.status().state, 'ok');
    assert.equal(source.status().error, undefined);
  });

  it('drops the flags of a deleted file once it has stayed deleted for the settle period', async () => {
    const { dir, source } = setup(
      {
        'a.features.yml': booleanFlagFile('kept', true),
        'b.features.yml': booleanFlagFile('dropped', true, 'team'),
      },
      { settleMs: 1_500 },
    );
    await source.start();
    assert.ok(source.current().namespace('team'));
    unlinkSync(join(dir.root, 'b.features.yml'));
    await source.refresh();
    assert.ok(source.current().namespace('team'), 'still served while the deletion settles');
    assert.equal(source.status().state, 'ok');
    await waitFor(
      () => source.current().namespace('team') === undefined,
      'the deletion to be served',
      10_000,
    );
    assert.equal(enabled(source, 'kept'), true);
  });

  it('never serves a file that is emptied and rewritten within the settle period', async () => {
    const { dir, source } = setup({ 'features.yml': booleanFlagFile('banner', true) }, { settleMs: 2_000 });
    await source.start();
    const swaps: Snapshot[] = [];
    source.onChange((snapshot) => swaps.push(snapshot));
    dir.write('features.yml', ''); // an editor truncates, then writes
    await source.refresh();
    assert.equal(enabled(source, 'banner'), true, 'the emptied file is not served');
    await new Promise((resolve) => setTimeout(resolve, 200));
    dir.write('features.yml', booleanFlagFile('banner', false));
    await source.refresh();
    assert.equal(enabled(source, 'banner'), false);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    assert.equal(swaps.length, 1, 'only the finished file was ever served');
    assert.equal(enabled(source, 'banner'), false);
  });

  it('serves an emptied file once it has stayed empty', async () => {
    const { dir, source } = setup({ 'features.yml': booleanFlagFile('banner', true) }, { settleMs: 200 });
    await source.start();
    dir.write('features.yml', '');
    await source.refresh();
    assert.ok(source.current().namespace('default')!.flag('banner'));
    await waitFor(
      () => source.current().namespace('default')!.flag('banner') === undefined,
      'no flags',
      3_000,
    );
  });

  it('does not serve a file that is still being written', async () => {
    const { dir, source } = setup({ 'features.yml': booleanFlagFile('banner', true) }, { debounceMs: 400 });
    await source.start();
    const served: boolean[] = [];
    source.onChange(() => served.push(enabled(source, 'banner')));
    // A writer that appends in steps: each intermediate state parses, but only the last is final.
    const full = booleanFlagFile('banner', false) + '    description: done\n';
    dir.write('features.yml', full.slice(0, full.indexOf('enabled')));
    const pending = source.refresh();
    await new Promise((resolve) => setTimeout(resolve, 50));
    dir.write('features.yml', full);
    await pending;
    await source.refresh();
    assert.deepEqual(served, [false], 'only the finished file was served');
    assert.equal(source.current().namespace('default')!.flag('banner')!.description, 'done');
  });

  it('reports the revision served, the last sync and where it reads from', async () => {
    const { dir, source } = setup({ 'features.yml': booleanFlagFile('banner', true) });
    await source.start();
    const first = source.status();
    assert.equal(first.location, dir.root);
    assert.match(first.revision ?? '', /^[0-9a-f]{16}$/);
    assert.ok(first.lastSyncAt);
    dir.write('features.yml', booleanFlagFile('banner', false));
    await source.refresh();
    assert.notEqual(source.status().revision, first.revision);
  });

  it('serves a namespace from a newly added file', async () => {
    const { dir, source } = setup({ 'features.yml': booleanFlagFile('banner', true) });
    await source.start();
    assert.equal(source.current().namespace('mobile'), undefined);
    dir.write('mobile/features.yml', booleanFlagFile('offline', true, 'mobile'));
    await source.refresh();
    assert.equal(enabled(source, 'offline', 'mobile'), true);
  });

  it('does not rebuild when the content is unchanged', async () => {
    const { dir, source } = setup({ 'features.yml': booleanFlagFile('banner', true) });
    await source.start();
    const first = source.current();
    const swaps: Snapshot[] = [];
    source.onChange((snapshot) => swaps.push(snapshot));
    dir.write('features.yml', booleanFlagFile('banner', true)); // rewritten, same bytes
    await source.refresh();
    assert.equal(source.current(), first);
    assert.equal(swaps.length, 0);
  });

  it('serializes rebuilds: overlapping refreshes swap once per change', async () => {
    const { dir, source } = setup({ 'features.yml': booleanFlagFile('banner', true) });
    await source.start();
    const swaps: Snapshot[] = [];
    source.onChange((snapshot) => swaps.push(snapshot));
    dir.write('features.yml', booleanFlagFile('banner', false));
    await Promise.all([source.refresh(), source.refresh(), source.refresh(), source.refresh()]);
    assert.equal(swaps.length, 1);
    assert.equal(swaps[0], source.current());
    assert.equal(enabled(source, 'banner'), false);
  });

  it('reports a deleted directory as degraded and keeps serving', async () => {
    const { dir, source } = setup({ 'features.yml': booleanFlagFile('banner', true) });
    await source.start();
    dir.remove();
    await source.refresh();
    assert.equal(source.status().state, 'degraded');
    assert.match(source.status().error ?? '', /does not exist/);
    assert.equal(enabled(source, 'banner'), true);
  });
});
