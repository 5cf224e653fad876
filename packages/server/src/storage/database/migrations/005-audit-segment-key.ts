import type { Kysely } from 'kysely';
import type { Tables } from '../tables.ts';
import type { Migration } from './index.ts';

// A segment's change history, as migration 4 gave flags theirs: each audit event names the segment
// it changed (its own events and its constraints'), read back as one indexed range. Events stored
// before this learn their segment from their payload, so older history shows too. The column
// inherits the table's case-sensitive collation on MySQL/MariaDB.

const BATCH = 500;

export const auditSegmentKey: Migration = {
  version: 5,
  name: 'audit segment key',
  async up(db: Kysely<Tables>) {
    await db.schema.alterTable('audit_events').addColumn('segment_key', 'varchar(255)').execute();
    await db.schema
      .createIndex('audit_events_segment')
      .on('audit_events')
      .columns(['namespace_key', 'segment_key', 'id'])
      .execute();
    let after = 0;
    for (;;) {
      const rows = await db
        .selectFrom('audit_events')
        .select(['id', 'type', 'payload'])
        .where('type', 'in', ['segment', 'constraint'])
        .where('id', '>', after)
        .orderBy('id')
        .limit(BATCH)
        .execute();
      for (const row of rows) {
        const key = segmentKeyOf(row.type, row.payload);
        if (key !== null)
          await db.updateTable('audit_events').set({ segment_key: key }).where('id', '=', row.id).execute();
      }
      if (rows.length < BATCH) return;
      after = Number(rows.at(-1)!.id);
    }
  },
};

/** A migration never changes, so it keeps its own reading of the payload rather than the sink's. */
function segmentKeyOf(type: string, payload: string): string | null {
  try {
    const request = JSON.parse(payload) as Record<string, unknown> | null;
    const key = request?.[type === 'segment' ? 'key' : 'segmentKey'];
    return typeof key === 'string' && key !== '' ? key : null;
  } catch {
    return null;
  }
}
