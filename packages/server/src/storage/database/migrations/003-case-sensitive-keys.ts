import { type Kysely, sql } from 'kysely';
import type { Tables } from '../tables.ts';
import type { Migration } from './index.ts';

// Keys are case-sensitive in Flipt and on SQLite and PostgreSQL. MySQL and MariaDB compare with
// the table's collation, by default a case-insensitive one: `caseflag` then clashed with
// `CaseFlag` while `GET …/CASEFLAG` was a 404, and writes to `RELSEC` landed in `relsec`.
// Every table moves to utf8mb4's binary collation, so all three engines compare the same way.
// MariaDB refuses to change a column a foreign key uses, even with checks off, so the foreign
// keys are dropped first and recreated as they were.

interface ForeignKeyColumn {
  name: string;
  table: string;
  column: string;
  refTable: string;
  refColumn: string;
  onDelete: string;
}

interface ForeignKey {
  name: string;
  table: string;
  columns: string[];
  refTable: string;
  refColumns: string[];
  onDelete: string;
}

/** One entry per constraint, its columns in key order (a key may span several columns). */
function foreignKeys(rows: readonly ForeignKeyColumn[]): ForeignKey[] {
  const byName = new Map<string, ForeignKey>();
  for (const row of rows) {
    const id = `${row.table}.${row.name}`;
    const fk = byName.get(id) ?? { ...row, columns: [], refColumns: [] };
    fk.columns.push(row.column);
    fk.refColumns.push(row.refColumn);
    byName.set(id, fk);
  }
  return [...byName.values()];
}

export const caseSensitiveKeys: Migration = {
  version: 3,
  name: 'case-sensitive keys on MySQL/MariaDB',
  async up(db: Kysely<Tables>, engine) {
    if (engine !== 'mysql') return;
    const tables = await sql<{ name: string }>`
      select table_name as name from information_schema.tables
      where table_schema = database() and table_type = 'BASE TABLE'`.execute(db);
    const columns = await sql<ForeignKeyColumn>`
      select k.constraint_name as name, k.table_name as "table", k.column_name as "column",
             k.referenced_table_name as refTable, k.referenced_column_name as refColumn,
             r.delete_rule as onDelete
      from information_schema.key_column_usage k
      join information_schema.referential_constraints r
        on r.constraint_schema = k.constraint_schema and r.constraint_name = k.constraint_name
       and r.table_name = k.table_name
      where k.table_schema = database() and k.referenced_table_name is not null
      order by k.table_name, k.constraint_name, k.ordinal_position`.execute(db);
    const keys = foreignKeys(columns.rows);
    for (const fk of keys) {
      await sql`alter table ${sql.id(fk.table)} drop foreign key ${sql.id(fk.name)}`.execute(db);
    }
    for (const { name } of tables.rows) {
      await sql`alter table ${sql.id(name)} convert to character set utf8mb4 collate utf8mb4_bin`.execute(db);
    }
    for (const fk of keys) {
      await sql`alter table ${sql.id(fk.table)} add constraint ${sql.id(fk.name)}
        foreign key (${sql.join(fk.columns.map((c) => sql.id(c)))})
        references ${sql.id(fk.refTable)} (${sql.join(fk.refColumns.map((c) => sql.id(c)))})
        on delete ${sql.raw(onDeleteRule(fk.onDelete))}`.execute(db);
    }
  },
};

const RULES = new Set(['CASCADE', 'SET NULL', 'RESTRICT', 'NO ACTION']);
function onDeleteRule(rule: string): string {
  return RULES.has(rule) ? rule : 'NO ACTION';
}
