import { type Kysely, type Migration as KyselyMigration, Migrator } from 'kysely';
import type { Engine } from '../../config/database-url.ts';
import type { Connection } from './connect.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, type Migration, migrationName } from './migrations/index.ts';
import type { Tables } from './tables.ts';

// Kysely's Migrator runs the migrations: it takes a lock (an advisory lock on PostgreSQL, GET_LOCK
// on MySQL, the write transaction on SQLite), so replicas starting together queue and exactly one
// applies each migration; PostgreSQL and SQLite apply them all in one transaction.
//
// Databases created before the Migrator recorded their versions in `schema_migrations` (our
// earlier runner). A migration whose version that table lists is taken as applied: it is recorded
// in Kysely's table without running again. This check runs under the Migrator's lock.

const MIGRATION_TABLE = 'ensign_migrations';
const MIGRATION_LOCK_TABLE = 'ensign_migrations_lock';
const LEGACY_TABLE = 'schema_migrations';

export interface MigrationResult {
  /** Versions applied by this call (empty when the schema was current). */
  applied: number[];
  version: number;
}

/** Brings the schema to the latest version. */
export async function migrate({ db, engine }: Connection): Promise<MigrationResult> {
  const byName = new Map(MIGRATIONS.map((m) => [migrationName(m), m]));
  const adopted = new Set<number>();
  const { error, results = [] } = await migrator(db, engine, adopted).migrateToLatest();
  if (error) throw explain(error);
  const applied = results
    .filter((r) => r.status === 'Success')
    .map((r) => byName.get(r.migrationName)!.version)
    .filter((version) => !adopted.has(version));
  return { applied, version: await schemaVersion(db) };
}

/** The schema version recorded in the database (0 when never migrated). */
export async function schemaVersion(db: Kysely<Tables>): Promise<number> {
  const recorded = await migrator(db, 'sqlite').getMigrations();
  const known = recorded.filter((m) => m.executedAt !== undefined).length;
  return Math.max(known, await legacyVersion(db));
}

export { LATEST_SCHEMA_VERSION };

function migrator(db: Kysely<Tables>, engine: Engine, adopted = new Set<number>()): Migrator {
  return new Migrator({
    db,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    provider: {
      async getMigrations() {
        const all: Record<string, KyselyMigration> = {};
        for (const migration of MIGRATIONS)
          all[migrationName(migration)] = adoptingLegacy(migration, engine, adopted);
        return all;
      },
    },
  });
}

function adoptingLegacy(migration: Migration, engine: Engine, adopted: Set<number>): KyselyMigration {
  return {
    async up(db) {
      const trx = db as Kysely<Tables>;
      if ((await legacyVersion(trx)) >= migration.version) {
        adopted.add(migration.version);
        return;
      }
      await migration.up(trx, engine);
    },
  };
}

/** The highest version our earlier runner recorded, or 0. */
async function legacyVersion(db: Kysely<Tables>): Promise<number> {
  const tables = await db.introspection.getTables();
  if (!tables.some((t) => t.name === LEGACY_TABLE)) return 0;
  const row = await db
    .selectFrom(LEGACY_TABLE)
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

function explain(error: unknown): Error {
  const message = error instanceof Error ? error.message : String(error);
  const missing = /previously executed migration (\S+) is missing/.exec(message);
  if (missing) {
    return new Error(
      `the database was migrated by a newer Ensign (migration ${missing[1]} is unknown to this version); upgrade Ensign`,
      { cause: error },
    );
  }
  return error instanceof Error ? error : new Error(message);
}
