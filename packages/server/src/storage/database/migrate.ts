import { type Kysely, sql } from 'kysely';
import type { Engine } from '../../config/database-url.ts';
import type { Connection } from './connect.ts';
import { LATEST_SCHEMA_VERSION, MIGRATIONS } from './migrations/index.ts';
import type { Tables } from './tables.ts';

// A constant key for PostgreSQL's advisory lock and MySQL's GET_LOCK: replicas starting
// together queue here, and the first one migrates while the others then find nothing to do.
const PG_LOCK_KEY = 4_711_042;
const MYSQL_LOCK_NAME = 'ensign_schema_migrations';

export interface MigrationResult {
  /** Versions applied by this call (empty when the schema was current). */
  applied: number[];
  version: number;
}

/**
 * Brings the schema to the latest version. PostgreSQL and SQLite apply all pending migrations in
 * one transaction (their DDL is transactional); MySQL commits DDL implicitly, so there each
 * migration is recorded right after it runs, under a named lock.
 */
export async function migrate({ db, engine }: Connection): Promise<MigrationResult> {
  if (engine === 'postgres') {
    return db.transaction().execute(async (trx) => {
      await sql`select pg_advisory_xact_lock(${PG_LOCK_KEY})`.execute(trx);
      return applyPending(trx, engine);
    });
  }
  if (engine === 'mysql') {
    return db.connection().execute(async (conn) => {
      const locked = await sql<{
        locked: number | null;
      }>`select get_lock(${MYSQL_LOCK_NAME}, 60) as locked`.execute(conn);
      if (Number(locked.rows[0]?.locked) !== 1) throw new Error('timed out waiting for the migration lock');
      try {
        return await applyPending(conn, engine);
      } finally {
        await sql`select release_lock(${MYSQL_LOCK_NAME})`.execute(conn);
      }
    });
  }
  // SQLite: the driver begins every transaction IMMEDIATE, which is the cross-process lock.
  return db.transaction().execute((trx) => applyPending(trx, engine));
}

/** The schema version recorded in the database (0 when never migrated). */
export async function schemaVersion(db: Kysely<Tables>): Promise<number> {
  await ensureMigrationTable(db);
  const row = await db
    .selectFrom('schema_migrations')
    .select((eb) => eb.fn.max('version').as('v'))
    .executeTakeFirst();
  return Number(row?.v ?? 0);
}

export { LATEST_SCHEMA_VERSION };

async function ensureMigrationTable(db: Kysely<Tables>): Promise<void> {
  await db.schema
    .createTable('schema_migrations')
    .ifNotExists()
    .addColumn('version', 'integer', (c) => c.primaryKey())
    .addColumn('applied_at', 'varchar(32)', (c) => c.notNull())
    .execute();
}

async function applyPending(db: Kysely<Tables>, engine: Engine): Promise<MigrationResult> {
  const current = await schemaVersion(db);
  if (current > LATEST_SCHEMA_VERSION) {
    throw new Error(
      `database schema version ${current} is newer than this Ensign supports (${LATEST_SCHEMA_VERSION}); upgrade Ensign`,
    );
  }
  const applied: number[] = [];
  for (const migration of MIGRATIONS) {
    if (migration.version <= current) continue;
    await migration.up(db, engine);
    await db
      .insertInto('schema_migrations')
      .values({ version: migration.version, applied_at: new Date().toISOString() })
      .execute();
    applied.push(migration.version);
  }
  return { applied, version: Math.max(current, ...applied) };
}
