import { invalidArgument } from '@ensign/core';
import type { Selectable } from 'kysely';
import type { Connection } from '../storage/database/connect.ts';
import type { AuditEventRow } from '../storage/database/tables.ts';
import type { Actor, AuditEvent } from './event.ts';

// Audit events in the configured database (migrations 004 and 005), newest first. Each row names
// the flag it changed (a flag's own events and those of its variants, rules, distributions and
// rollouts) or the segment (its own and its constraints'), so either's history is one indexed
// range. Page tokens carry the last id shown.

export interface HistoryEntry {
  id: string;
  type: string;
  action: string;
  actor: Actor;
  payload: unknown;
  timestamp: string;
}

export interface HistoryPage {
  events: HistoryEntry[];
  nextPageToken: string;
}

/** Whose history: a flag's or a segment's, by key. */
export interface HistorySubject {
  kind: 'flag' | 'segment';
  key: string;
}

export interface HistoryStore {
  append(events: readonly AuditEvent[]): Promise<void>;
  history(
    namespaceKey: string,
    subject: HistorySubject,
    page: { limit: number; pageToken: string },
  ): Promise<HistoryPage>;
  /** Deletes events older than `before` and all but the newest `keep`; returns how many. */
  prune(before: string, keep: number): Promise<number>;
  close(): Promise<void>;
}

export const DEFAULT_PAGE = 25;
export const MAX_PAGE = 500;

const FLAG_CHILDREN = new Set(['variant', 'rule', 'distribution', 'rollout']);

interface EventSubject {
  namespaceKey: string;
  flagKey: string | null;
  segmentKey: string | null;
}

/** Which namespace and flag or segment an event changed, from its payload (the write request). */
export function subjectOf(event: AuditEvent): EventSubject {
  const payload = (event.payload ?? {}) as Record<string, unknown>;
  const str = (v: unknown) => (typeof v === 'string' && v !== '' ? v : null);
  const none = { flagKey: null, segmentKey: null };
  if (event.type === 'namespace') return { namespaceKey: str(payload['key']) ?? 'default', ...none };
  const namespaceKey = str(payload['namespaceKey']) ?? 'default';
  if (event.type === 'flag') return { namespaceKey, ...none, flagKey: str(payload['key']) };
  if (FLAG_CHILDREN.has(event.type)) return { namespaceKey, ...none, flagKey: str(payload['flagKey']) };
  if (event.type === 'segment') return { namespaceKey, ...none, segmentKey: str(payload['key']) };
  if (event.type === 'constraint') return { namespaceKey, ...none, segmentKey: str(payload['segmentKey']) };
  return { namespaceKey, ...none };
}

function beforeOf(pageToken: string): number | undefined {
  if (pageToken === '') return undefined;
  try {
    const before = (JSON.parse(Buffer.from(pageToken, 'base64').toString('utf8')) as { before?: unknown })
      .before;
    if (typeof before === 'number' && Number.isSafeInteger(before) && before > 0) return before;
  } catch {}
  throw invalidArgument(`pageToken is not valid: ${JSON.stringify(pageToken)}`);
}

function entryOf(row: Selectable<AuditEventRow>): HistoryEntry {
  return {
    id: String(row.id),
    type: row.type,
    action: row.action,
    actor: JSON.parse(row.actor) as Actor,
    payload: JSON.parse(row.payload) as unknown,
    timestamp: row.created_at,
  };
}

export function createHistoryStore(connection: Connection): HistoryStore {
  const { db } = connection;
  return {
    async append(events) {
      if (events.length === 0) return;
      // In a transaction: on SQLite, beginning one waits for another connection's write lock
      // (the store's, a replica's), where a bare insert would fail at once with SQLITE_BUSY.
      await db.transaction().execute((trx) =>
        trx
          .insertInto('audit_events')
          .values(
            events.map((event) => {
              const { namespaceKey, flagKey, segmentKey } = subjectOf(event);
              return {
                namespace_key: namespaceKey,
                flag_key: flagKey,
                segment_key: segmentKey,
                type: event.type,
                action: event.action,
                actor: JSON.stringify(event.metadata.actor),
                payload: JSON.stringify(event.payload ?? null),
                created_at: event.timestamp,
              };
            }),
          )
          .execute(),
      );
    },

    async history(namespaceKey, subject, { limit, pageToken }) {
      if (!Number.isInteger(limit) || limit < 0) throw invalidArgument('limit must be a positive integer');
      const size = Math.min(limit || DEFAULT_PAGE, MAX_PAGE);
      const before = beforeOf(pageToken);
      let query = db
        .selectFrom('audit_events')
        .selectAll()
        .where('namespace_key', '=', namespaceKey)
        .where(subject.kind === 'flag' ? 'flag_key' : 'segment_key', '=', subject.key);
      if (before !== undefined) query = query.where('id', '<', before);
      const rows = await query
        .orderBy('id', 'desc')
        .limit(size + 1)
        .execute();
      const shown = rows.slice(0, size);
      const last = shown.at(-1);
      return {
        events: shown.map(entryOf),
        nextPageToken:
          rows.length > size && last
            ? Buffer.from(JSON.stringify({ before: Number(last.id) })).toString('base64')
            : '',
      };
    },

    async prune(before, keep) {
      let deleted = Number(
        (await db.deleteFrom('audit_events').where('created_at', '<', before).executeTakeFirst())
          .numDeletedRows,
      );
      const edge = await db
        .selectFrom('audit_events')
        .select('id')
        .orderBy('id', 'desc')
        .limit(1)
        .offset(keep)
        .executeTakeFirst();
      if (edge) {
        const result = await db
          .deleteFrom('audit_events')
          .where('id', '<=', Number(edge.id))
          .executeTakeFirst();
        deleted += Number(result.numDeletedRows);
      }
      return deleted;
    },

    close: () => db.destroy(),
  };
}
