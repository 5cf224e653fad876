import { SqliteAdapter } from 'kysely';

/**
 * Kysely's SQLite adapter assumes one connection per database and so runs migrations outside a
 * transaction, unlocked. Replicas may share a SQLite file (and libSQL servers are shared by
 * design), and SQLite's DDL is transactional: saying so makes the Migrator run every migration
 * in one write transaction, which is the lock between processes.
 */
export class TransactionalSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}
