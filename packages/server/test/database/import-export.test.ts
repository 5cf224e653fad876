import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { exportFeatures } from '@ensign/core';
import { readonlyStyleFiles } from '../../../core/test/datasets/readonly-style.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import {
  createDatabaseSource,
  createDatabaseStore,
  type DatabaseSource,
  importFeatures,
} from '../../src/storage/database/index.ts';
import { sqliteEngine, type TestDatabase } from './engines.ts';

// Flipt's round-trip requirement: import a file Flipt exported into a database, export it again,
// get the same bytes. The readonly-style dataset is written in Flipt's export style (and is
// checked against Flipt's own file when its fixtures are available: core's datasets test).

const fixture = readonlyStyleFiles().find((f) => f.path === 'default.yaml')!.content;

describe('import then export (SQLite)', () => {
  let database: TestDatabase;
  let source: DatabaseSource;
  before(async () => {
    database = await sqliteEngine().create();
    source = createDatabaseSource({ url: database.url, watch: false }, silentLogger());
    await source.start();
  });
  after(async () => {
    await source?.close();
    await database?.drop();
  });

  test('gives the readonly-style default.yaml back byte for byte', { timeout: 120_000 }, async () => {
    const store = createDatabaseStore(source.connection);
    const result = await importFeatures(source.connection, store, [
      { path: 'default.yaml', content: fixture },
    ]);
    assert.equal(result.flags, 57);
    await source.refresh();
    const exported = exportFeatures([source.current().namespace('default')!.state]);
    assert.ok(exported === fixture, 'the export differs from the imported file');
  });

  test('refuses existing keys unless --skip-existing; --drop starts over', async () => {
    const store = createDatabaseStore(source.connection);
    const small =
      'namespace: default\nflags:\n- key: flag_001\n  name: X\n  enabled: true\n- key: fresh\n  name: Fresh\n  enabled: false\n';
    await assert.rejects(
      importFeatures(source.connection, store, [{ path: 'a.yaml', content: small }]),
      /flag "default\/flag_001" is not unique/,
    );
    const skipped = await importFeatures(source.connection, store, [{ path: 'a.yaml', content: small }], {
      skipExisting: true,
    });
    assert.deepEqual([skipped.flags, skipped.skipped], [1, 1]);
    await importFeatures(source.connection, store, [{ path: 'a.yaml', content: small }], { drop: true });
    await source.refresh();
    assert.deepEqual(
      source
        .current()
        .namespace('default')!
        .state.flags.map((f) => f.key),
      ['flag_001', 'fresh'],
    );
  });
});
