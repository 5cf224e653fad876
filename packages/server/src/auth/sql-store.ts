import { randomUUID } from 'node:crypto';
import { invalidArgument } from '@ensign/core';
import type { Connection } from '../storage/database/connect.ts';
import type { AuthenticationRow } from '../storage/database/tables.ts';
import { type Authentication, METHOD_NUMBERS, methodOfNumber } from './authentication.ts';
import { hashClientToken, newClientToken, sameHash } from './client-token.ts';
import type { AuthStore } from './store.ts';

// The auth store in the configured SQL database (migration 002). Page tokens are base64 JSON
// offsets, like the flag store's.

function toAuthentication(row: AuthenticationRow): Authentication {
  const auth: Authentication = {
    id: row.id,
    method: methodOfNumber(Number(row.method)),
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    metadata: JSON.parse(row.metadata) as Record<string, string>,
  };
  if (row.expires_at) auth.expiresAt = row.expires_at;
  return auth;
}

function offsetOf(pageToken: string): number {
  if (pageToken === '') return 0;
  try {
    const offset = (JSON.parse(Buffer.from(pageToken, 'base64').toString('utf8')) as { offset?: unknown })
      .offset;
    if (typeof offset === 'number' && Number.isInteger(offset) && offset >= 0) return offset;
  } catch {}
  throw invalidArgument(`pageToken is not valid: ${JSON.stringify(pageToken)}`);
}

export function createSqlAuthStore(connection: Connection, options: { closeConnection: boolean }): AuthStore {
  const { db } = connection;
  return {
    async create(input) {
      const clientToken = input.clientToken ?? newClientToken();
      const now = new Date().toISOString();
      const row: AuthenticationRow = {
        id: randomUUID(),
        method: METHOD_NUMBERS[input.method],
        hashed_client_token: hashClientToken(clientToken),
        metadata: JSON.stringify(input.metadata),
        expires_at: input.expiresAt ?? null,
        created_at: now,
        updated_at: now,
      };
      await db.insertInto('authentications').values(row).execute();
      return { clientToken, authentication: toAuthentication(row) };
    },

    async byClientToken(clientToken) {
      const hash = hashClientToken(clientToken);
      const row = await db
        .selectFrom('authentications')
        .selectAll()
        .where('hashed_client_token', '=', hash)
        .executeTakeFirst();
      // The index lookup already matched; the constant-time compare guards against an engine
      // comparing case- or padding-insensitively.
      return row && sameHash(row.hashed_client_token, hash) ? toAuthentication(row) : undefined;
    },

    async get(id) {
      const row = await db.selectFrom('authentications').selectAll().where('id', '=', id).executeTakeFirst();
      return row ? toAuthentication(row) : undefined;
    },

    async list({ method, limit, pageToken }) {
      const offset = offsetOf(pageToken);
      let query = db.selectFrom('authentications').selectAll().orderBy('created_at').orderBy('id');
      if (method && method !== 'METHOD_NONE') query = query.where('method', '=', METHOD_NUMBERS[method]);
      const size = limit > 0 ? limit : 100;
      const rows = await query
        .limit(size + 1)
        .offset(offset)
        .execute();
      const more = rows.length > size;
      return {
        authentications: rows.slice(0, size).map(toAuthentication),
        nextPageToken: more ? Buffer.from(JSON.stringify({ offset: offset + size })).toString('base64') : '',
      };
    },

    async delete(id) {
      const result = await db.deleteFrom('authentications').where('id', '=', id).executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },

    async expire(id, at) {
      await db
        .updateTable('authentications')
        .set({ expires_at: at, updated_at: new Date().toISOString() })
        .where('id', '=', id)
        .execute();
    },

    async count(method) {
      const row = await db
        .selectFrom('authentications')
        .select((eb) => eb.fn.countAll().as('n'))
        .where('method', '=', METHOD_NUMBERS[method])
        .executeTakeFirst();
      return Number(row?.n ?? 0);
    },

    async deleteExpired(method, before) {
      const result = await db
        .deleteFrom('authentications')
        .where('method', '=', METHOD_NUMBERS[method])
        .where('expires_at', 'is not', null)
        .where('expires_at', '<', before)
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },

    async close() {
      if (options.closeConnection) await db.destroy();
    },
  };
}
