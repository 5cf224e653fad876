import { invalidArgument, type Namespace, namespaceNotFound } from '@ensign/core';
import type { Kysely } from 'kysely';
import type {
  CreateNamespaceRequest,
  DeleteNamespaceRequest,
  UpdateNamespaceRequest,
} from '../../management-store.ts';
import { toNamespace } from '../rows.ts';
import type { Tables } from '../tables.ts';
import { requireKey, requireValue } from '../validate.ts';
import type { Write } from '../write-context.ts';

async function readNamespace(trx: Kysely<Tables>, key: string): Promise<Namespace> {
  const row = await trx.selectFrom('namespaces').selectAll().where('key', '=', key).executeTakeFirst();
  if (!row) throw namespaceNotFound(key);
  return toNamespace(row);
}

/** Runs in its own transaction: there is no namespace revision to bump yet. */
export async function createNamespace(trx: Kysely<Tables>, request: CreateNamespaceRequest, now: string) {
  requireKey('key', request.key);
  requireValue('name', request.name);
  const existing = await trx
    .selectFrom('namespaces')
    .select('key')
    .where('key', '=', request.key)
    .executeTakeFirst();
  if (existing) throw invalidArgument(`namespace "${request.key}" is not unique`);
  await trx
    .insertInto('namespaces')
    .values({
      key: request.key,
      name: request.name,
      description: request.description,
      protected: 0,
      revision: 1,
      created_at: now,
      updated_at: now,
      state_modified_at: now,
    })
    .execute();
  return readNamespace(trx, request.key);
}

export async function updateNamespace(w: Write, request: UpdateNamespaceRequest): Promise<Namespace> {
  requireValue('name', request.name);
  await w.trx
    .updateTable('namespaces')
    .set({ name: request.name, description: request.description, updated_at: w.now })
    .where('key', '=', request.key)
    .execute();
  return readNamespace(w.trx, request.key);
}

// Children before parents, so no foreign key ever sees a dangling reference mid-delete.
const NAMESPACED_TABLES = [
  'rollout_segment_references',
  'rollout_segments',
  'rollout_thresholds',
  'rollouts',
  'distributions',
  'rule_segments',
  'rules',
  'variants',
  'flags',
  'constraints',
  'segments',
] as const;

export async function deleteNamespace(w: Write, request: DeleteNamespaceRequest): Promise<void> {
  const namespace = await readNamespace(w.trx, request.key);
  if (!request.force) {
    if (namespace.protected) throw invalidArgument(`namespace "${request.key}" is protected`);
    const flag = await w.trx
      .selectFrom('flags')
      .select('key')
      .where('namespace_key', '=', request.key)
      .executeTakeFirst();
    if (flag)
      throw invalidArgument(`namespace "${request.key}" cannot be deleted; flags must be deleted first`);
  }
  for (const table of NAMESPACED_TABLES) {
    await w.trx.deleteFrom(table).where('namespace_key', '=', request.key).execute();
  }
  await w.trx.deleteFrom('namespaces').where('key', '=', request.key).execute();
}
