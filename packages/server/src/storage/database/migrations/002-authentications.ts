import type { Kysely } from 'kysely';
import type { Tables } from '../tables.ts';
import type { Migration } from './index.ts';

// The auth store (tokens, later sessions): one row per credential, found by the hash of the
// client token. Lives beside the flags so replicas sharing a database share their tokens.
export const authentications: Migration = {
  version: 2,
  name: 'authentications',
  async up(db: Kysely<Tables>) {
    await db.schema
      .createTable('authentications')
      .addColumn('id', 'varchar(36)', (c) => c.primaryKey())
      .addColumn('method', 'integer', (c) => c.notNull())
      .addColumn('hashed_client_token', 'varchar(64)', (c) => c.notNull().unique())
      .addColumn('metadata', 'text', (c) => c.notNull())
      .addColumn('expires_at', 'varchar(32)')
      .addColumn('created_at', 'varchar(32)', (c) => c.notNull())
      .addColumn('updated_at', 'varchar(32)', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('authentications_method').on('authentications').column('method').execute();
  },
};
