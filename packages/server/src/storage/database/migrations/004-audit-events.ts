import { type Kysely, sql } from 'kysely';
import type { Tables } from '../tables.ts';
import type { Migration } from './index.ts';

// Audit events kept in the database (`audit.sinks.database`), read back as a flag's change
// history. The id is an engine sequence, so newest-first paging is by id alone and stays stable
// while writes arrive. Keys compare case-sensitively on every engine, as migration 3 made the
// other tables do on MySQL/MariaDB.
export const auditEvents: Migration = {
  version: 4,
  name: 'audit events',
  async up(db: Kysely<Tables>, engine) {
    const mysql = engine === 'mysql';
    let table = db.schema
      .createTable('audit_events')
      .addColumn('id', engine === 'postgres' ? 'bigserial' : mysql ? 'bigint' : 'integer', (c) =>
        engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
      )
      .addColumn('namespace_key', 'varchar(255)', (c) => c.notNull())
      .addColumn('flag_key', 'varchar(255)')
      .addColumn('type', 'varchar(32)', (c) => c.notNull())
      .addColumn('action', 'varchar(32)', (c) => c.notNull())
      .addColumn('actor', 'text', (c) => c.notNull())
      // A payload can carry a variant attachment; MySQL's `text` stops at 64 KiB.
      .addColumn('payload', mysql ? sql`mediumtext` : 'text', (c) => c.notNull())
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull());
    if (mysql) table = table.modifyEnd(sql`character set utf8mb4 collate utf8mb4_bin`);
    await table.execute();
    await db.schema
      .createIndex('audit_events_flag')
      .on('audit_events')
      .columns(['namespace_key', 'flag_key', 'id'])
      .execute();
    await db.schema.createIndex('audit_events_created').on('audit_events').column('created_at').execute();
  },
};
