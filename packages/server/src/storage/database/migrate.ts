import {
  type Kysely,
  type Migration as KyselyMigration,
  Migrator,
  MysqlAdapter,
  PostgresAdapter,
  sql,
} from 'kysely';
import type { Engine } from '../../config/database-url.ts';
import type { Connection } from './connect.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS, migrationName } from './migrations/index.ts';
import type { Tables } from './tables.ts';

// Kysely's Migrator runs the migrations: it takes a lock (an advisory lock on PostgreSQL, GET_LOCK
// on MySQL, the write transaction on SQLite), so replicas starting together queue and exactly one
// applies each migration; PostgreSQL and SQLite apply them all in one transaction.
//
// Most starts find the schema current. The Migrator would still introspect every table (on
// SQLite a query per table) and compile a dozen queries before concluding so, a cost every
// start paid; one read of the migration table settles it instead. Only a database that misses a
// migration, or records one this version does not know, goes through the Migrator. Reading
// without the lock is safe: rows are only ever added, and a database found current stays so.
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
  if (isCurrent(await recordedMigrations(db, engine))) return { applied: [], version: LATEST_SCHEMA_VERSION };
  const byName = new Map(MIGRATIONS.map((m) => [migrationName(m), m]));
  const adopted = new Set<number>();
  const { error, results = [] } = await migrator(db, engine, adopted).migrateToLatest();
  if (error) throw explain(error);
  const applied = results
    .filter((r) => r.status === 'Success')
    .map((r) => byName.get(r.migrationName)!.version)
    .filter((version) => !adopted.has(version));
  return { applied, version: await schemaVersion(db, engine) };
}

/** The schema version recorded in the database (0 when never migrated). */
export async function schemaVersion(db: Kysely<Tables>, engine = engineOfDatabase(db)): Promise<number> {
  const known = new Set(MIGRATIONS.map(migrationName));
  const recorded = (await recordedMigrations(db, engine)) ?? [];
  return Math.max(recorded.filter((name) => known.has(name)).length, await legacyVersion(db, engine));
}

export { LATEST_SCHEMA_VERSION };

/** True when the database records exactly this version's migrations. */
function isCurrent(recorded: readonly string[] | undefined): boolean {
  if (recorded === undefined || recorded.length !== MIGRATIONS.length) return false;
  const names = new Set(recorded);
  return MIGRATIONS.every((m) => names.has(migrationName(m)));
}

/** The names in the migration table, or undefined when there is no such table yet. */
async function recordedMigrations(db: Kysely<Tables>, engine: Engine): Promise<string[] | undefined> {
  if (!(await tableExists(db, engine, MIGRATION_TABLE))) return undefined;
  const { rows } = await sql<{ name: string }>`select name from ${sql.table(MIGRATION_TABLE)}`.execute(db);
  return rows.map((r) => r.name);
}

/**
 * Whether `name` exists where an unqualified name resolves, asked in one statement that cannot
 * fail (a failed statement would abort a PostgreSQL transaction, and introspecting every table,
 * as Kysely does, costs a query per table on SQLite).
 */
async function tableExists(db: Kysely<Tables>, engine: Engine, name: string): Promise<boolean> {
  const query =
    engine === 'sqlite'
      ? sql<{ n: number }>`select count(*) as n from sqlite_master where type = 'table' and name = ${name}`
      : sql<{ n: number }>`select count(*) as n from information_schema.tables
          where table_name = ${name} and table_schema = ${engine === 'postgres' ? sql`current_schema()` : sql`database()`}`;
  const { rows } = await query.execute(db);
  return Number(rows[0]?.n ?? 0) > 0;
}

function engineOfDatabase(db: Kysely<Tables>): Engine {
  const adapter = db.getExecutor().adapter;
  if (adapter instanceof PostgresAdapter) return 'postgres';
  if (adapter instanceof MysqlAdapter) return 'mysql';
  return 'sqlite';
}

function migrator(db: Kysely<Tables>, engine: Engine, adopted: Set<number>): Migrator {
  // The earlier runner's table is read once per run, under the lock, by the first migration due.
  let legacy: Promise<number> | undefined;
  return new Migrator({
    db,
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: MIGRATION_LOCK_TABLE,
    provider: {
      async getMigrations() {
        const all: Record<string, KyselyMigration> = {};
        for (const migration of MIGRATIONS) {
          all[migrationName(migration)] = {
            async up(trx) {
              legacy ??= legacyVersion(trx as Kysely<Tables>, engine);
              if ((await legacy) >= migration.version) {
                adopted.add(migration.version);
                return;
              }
              await migration.up(trx as Kysely<Tables>, engine);
            },
          };
        }
        return all;
      },
    },
  });
}

/** The highest version our earlier runner recorded, or 0. */
async function legacyVersion(db: Kysely<Tables>, engine: Engine): Promise<number> {
  if (!(await tableExists(db, engine, LEGACY_TABLE))) return 0;
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
