import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sql } from 'kysely';
import { engineOf, parseDatabaseUrl } from '../../src/config/database-url.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import {
  connect,
  createDatabaseStore,
  LATEST_SCHEMA_VERSION,
  MIGRATION_QUERY_TIMEOUT_MS,
  migrate,
  schemaVersion,
} from '../../src/storage/database/index.ts';
import { initialSchema } from '../../src/storage/database/migrations/001-initial-schema.ts';
import { MIGRATIONS, migrationName } from '../../src/storage/database/migrations/index.ts';
import { allEngines } from './engines.ts';

// Replicas starting together all migrate: exactly one applies each version, the rest find the
// schema current, and the protected default namespace exists once.

for (const engine of await allEngines()) {
  describe(`migrations on ${engine.name}`, { skip: engine.skip }, () => {
    test('are idempotent and safe to run concurrently', async () => {
      const database = await engine.create();
      // As replicas do (source.ts): a replica waiting for another's migration lock waits longer
      // than one ordinary statement may run, or MariaDB's longer migrations outlast the wait.
      const connections = [1, 2, 3].map(() =>
        connect({ url: database.url, queryTimeoutMs: MIGRATION_QUERY_TIMEOUT_MS }, silentLogger()),
      );
      try {
        const results = await Promise.all(connections.map((c) => migrate(c)));
        assert.deepEqual(results.map((r) => r.applied.length).sort(), [0, 0, LATEST_SCHEMA_VERSION]);
        assert.deepEqual(await migrate(connections[0]!), { applied: [], version: LATEST_SCHEMA_VERSION });
        assert.equal(await schemaVersion(connections[0]!.db), LATEST_SCHEMA_VERSION);
        const namespaces = await connections[0]!.db.selectFrom('namespaces').selectAll().execute();
        assert.deepEqual(
          namespaces.map((n) => [n.key, n.name, Number(n.protected)]),
          [['default', 'Default', 1]],
        );
      } finally {
        for (const c of connections) await c.db.destroy();
        await database.drop();
      }
    });

    test('apply only what is missing, and refuse a database a newer version migrated', async () => {
      const database = await engine.create();
      const connection = connect({ url: database.url }, silentLogger());
      try {
        await migrate(connection);
        // A database one version behind: the last migration undone and its record removed.
        const last = MIGRATIONS.at(-1)!;
        const dropIndex = connection.db.schema.dropIndex('audit_events_segment');
        await (engine.name === 'mysql' ? dropIndex.on('audit_events') : dropIndex).execute();
        await connection.db.schema.alterTable('audit_events').dropColumn('segment_key').execute();
        await sql`delete from ensign_migrations where name = ${migrationName(last)}`.execute(connection.db);
        assert.equal(await schemaVersion(connection.db), LATEST_SCHEMA_VERSION - 1);
        assert.deepEqual(await migrate(connection), {
          applied: [last.version],
          version: LATEST_SCHEMA_VERSION,
        });
        assert.deepEqual(await migrate(connection), { applied: [], version: LATEST_SCHEMA_VERSION });

        await sql`insert into ensign_migrations (name, timestamp) values ('999-from-the-future', ${new Date().toISOString()})`.execute(
          connection.db,
        );
        await assert.rejects(
          migrate(connection),
          /migrated by a newer Ensign \(migration 999-from-the-future/,
        );
      } finally {
        await connection.db.destroy();
        await database.drop();
      }
    });

    test('adopt a database set up by the earlier migration runner, data intact', async () => {
      const database = await engine.create();
      const connection = connect({ url: database.url }, silentLogger());
      try {
        // What the earlier runner left: the schema, and its own table recording version 1.
        await initialSchema.up(connection.db, engineOf(parseDatabaseUrl(database.url)));
        await connection.db.schema
          .createTable('schema_migrations')
          .addColumn('version', 'integer', (c) => c.primaryKey())
          .addColumn('applied_at', 'varchar(32)', (c) => c.notNull())
          .execute();
        await connection.db
          .insertInto('schema_migrations')
          .values({ version: 1, applied_at: new Date().toISOString() })
          .execute();
        await createDatabaseStore(connection).createFlag({
          namespaceKey: 'default',
          key: 'old',
          name: 'Old',
          description: '',
          type: 'BOOLEAN_FLAG_TYPE',
          enabled: true,
        });

        // Version 1 is taken as applied, not run again; the versions after it run once.
        const later = MIGRATIONS.filter((m) => m.version > 1).map((m) => m.version);
        assert.deepEqual(await migrate(connection), { applied: later, version: LATEST_SCHEMA_VERSION });
        assert.deepEqual(await migrate(connection), { applied: [], version: LATEST_SCHEMA_VERSION });
        const flags = await connection.db.selectFrom('flags').select('key').execute();
        assert.deepEqual(
          flags.map((f) => f.key),
          ['old'],
        );
      } finally {
        await connection.db.destroy();
        await database.drop();
      }
    });
  });
}
