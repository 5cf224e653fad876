import { randomUUID } from 'node:crypto';
import { type Flag, flagNotFound, invalidArgument, notFound, type Variant } from '@ensign/core';
import type {
  CreateFlagRequest,
  CreateVariantRequest,
  FlagChildRef,
  FlagRef,
  UpdateFlagRequest,
  UpdateVariantRequest,
} from '../../management-store.ts';
import { flagType } from '../enums.ts';
import { toVariant } from '../rows.ts';
import { normaliseAttachment, normaliseMetadata, requireKey, requireValue } from '../validate.ts';
import type { Write } from '../write-context.ts';
import { flagRow, readFlag } from './read-one.ts';

export async function createFlag(w: Write, request: CreateFlagRequest): Promise<Flag> {
  requireKey('key', request.key);
  requireValue('name', request.name);
  const existing = await w.trx
    .selectFrom('flags')
    .select('key')
    .where('namespace_key', '=', w.namespaceKey)
    .where('key', '=', request.key)
    .executeTakeFirst();
  if (existing) throw invalidArgument(`flag "${w.namespaceKey}/${request.key}" is not unique`);
  await w.trx
    .insertInto('flags')
    .values({
      namespace_key: w.namespaceKey,
      key: request.key,
      name: request.name,
      description: request.description,
      enabled: request.enabled ? 1 : 0,
      type: flagType.toNumber(request.type),
      default_variant_id: null,
      metadata: normaliseMetadata(request.metadata),
      seq: w.seq,
      created_at: w.now,
      updated_at: w.now,
    })
    .execute();
  return readFlag(w, request.key);
}

/** A full replace of name, description, enabled and the default variant; metadata only if sent. */
export async function updateFlag(w: Write, request: UpdateFlagRequest): Promise<Flag> {
  requireValue('name', request.name);
  let defaultVariantId: string | null = null;
  if (request.defaultVariantId !== '') {
    // A missing flag is reported before a missing variant.
    await flagRow(w, request.key);
    const variant = await w.trx
      .selectFrom('variants')
      .select('id')
      .where('namespace_key', '=', w.namespaceKey)
      .where('flag_key', '=', request.key)
      .where('id', '=', request.defaultVariantId)
      .executeTakeFirst();
    if (!variant) {
      throw invalidArgument(
        `variant "${request.defaultVariantId}" not found for flag "${w.namespaceKey}/${request.key}"`,
      );
    }
    defaultVariantId = variant.id;
  }
  const updated = await w.trx
    .updateTable('flags')
    .set({
      name: request.name,
      description: request.description,
      enabled: request.enabled ? 1 : 0,
      default_variant_id: defaultVariantId,
      ...(request.metadata !== undefined ? { metadata: normaliseMetadata(request.metadata) } : {}),
      updated_at: w.now,
    })
    .where('namespace_key', '=', w.namespaceKey)
    .where('key', '=', request.key)
    .executeTakeFirst();
  // Found by the update itself (the write rolls back): one statement less per flag update.
  if (Number(updated.numUpdatedRows) === 0) throw flagNotFound(w.namespaceKey, request.key);
  return readFlag(w, request.key);
}

/** Deleting a flag that does not exist succeeds, as in Flipt's SQL store. */
export async function deleteFlag(w: Write, request: FlagRef): Promise<void> {
  const ns = w.namespaceKey;
  const rules = w.trx
    .selectFrom('rules')
    .select('id')
    .where('namespace_key', '=', ns)
    .where('flag_key', '=', request.key);
  const rollouts = w.trx
    .selectFrom('rollouts')
    .select('id')
    .where('namespace_key', '=', ns)
    .where('flag_key', '=', request.key);
  await w.trx.deleteFrom('distributions').where('rule_id', 'in', rules).execute();
  await w.trx.deleteFrom('rule_segments').where('rule_id', 'in', rules).execute();
  await w.trx.deleteFrom('rollout_segment_references').where('rollout_id', 'in', rollouts).execute();
  await w.trx.deleteFrom('rollout_segments').where('rollout_id', 'in', rollouts).execute();
  await w.trx.deleteFrom('rollout_thresholds').where('rollout_id', 'in', rollouts).execute();
  for (const table of ['rules', 'rollouts', 'variants'] as const) {
    await w.trx
      .deleteFrom(table)
      .where('namespace_key', '=', ns)
      .where('flag_key', '=', request.key)
      .execute();
  }
  await w.trx.deleteFrom('flags').where('namespace_key', '=', ns).where('key', '=', request.key).execute();
}

async function requireUniqueVariantKey(
  w: Write,
  flagKey: string,
  key: string,
  exceptId?: string,
): Promise<void> {
  let query = w.trx
    .selectFrom('variants')
    .select('id')
    .where('namespace_key', '=', w.namespaceKey)
    .where('flag_key', '=', flagKey)
    .where('key', '=', key);
  if (exceptId !== undefined) query = query.where('id', '<>', exceptId);
  if (await query.executeTakeFirst()) {
    throw invalidArgument(`variant "${key}" is not unique for flag "${w.namespaceKey}/${flagKey}"`);
  }
}

async function readVariant(w: Write, flagKey: string, id: string): Promise<Variant> {
  const row = await w.trx
    .selectFrom('variants')
    .selectAll()
    .where('namespace_key', '=', w.namespaceKey)
    .where('flag_key', '=', flagKey)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`variant "${id}" not found for flag "${w.namespaceKey}/${flagKey}"`);
  return toVariant(row);
}

export async function createVariant(w: Write, request: CreateVariantRequest): Promise<Variant> {
  requireValue('key', request.key);
  const attachment = normaliseAttachment(request.attachment);
  await flagRow(w, request.flagKey);
  await requireUniqueVariantKey(w, request.flagKey, request.key);
  const id = randomUUID();
  await w.trx
    .insertInto('variants')
    .values({
      id,
      namespace_key: w.namespaceKey,
      flag_key: request.flagKey,
      key: request.key,
      name: request.name,
      description: request.description,
      attachment,
      seq: w.seq,
      created_at: w.now,
      updated_at: w.now,
    })
    .execute();
  return readVariant(w, request.flagKey, id);
}

export async function updateVariant(w: Write, request: UpdateVariantRequest): Promise<Variant> {
  requireValue('key', request.key);
  const attachment = normaliseAttachment(request.attachment);
  await flagRow(w, request.flagKey);
  await readVariant(w, request.flagKey, request.id);
  await requireUniqueVariantKey(w, request.flagKey, request.key, request.id);
  await w.trx
    .updateTable('variants')
    .set({
      key: request.key,
      name: request.name,
      description: request.description,
      attachment,
      updated_at: w.now,
    })
    .where('id', '=', request.id)
    .execute();
  return readVariant(w, request.flagKey, request.id);
}

/** Also drops the variant's distributions and clears it as default (Flipt: ON DELETE SET NULL). */
export async function deleteVariant(w: Write, request: FlagChildRef): Promise<void> {
  const row = await w.trx
    .selectFrom('variants')
    .select('id')
    .where('namespace_key', '=', w.namespaceKey)
    .where('flag_key', '=', request.flagKey)
    .where('id', '=', request.id)
    .executeTakeFirst();
  if (!row) return;
  await w.trx.deleteFrom('distributions').where('variant_id', '=', row.id).execute();
  await w.trx
    .updateTable('flags')
    .set({ default_variant_id: null, updated_at: w.now })
    .where('namespace_key', '=', w.namespaceKey)
    .where('default_variant_id', '=', row.id)
    .execute();
  await w.trx.deleteFrom('variants').where('id', '=', row.id).execute();
}
