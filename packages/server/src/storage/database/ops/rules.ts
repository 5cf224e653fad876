import { randomUUID } from 'node:crypto';
import { type Distribution, invalidArgument, notFound, type Rule } from '@ensign/core';
import type {
  CreateDistributionRequest,
  CreateRuleRequest,
  DeleteDistributionRequest,
  FlagChildRef,
  OrderRulesRequest,
  UpdateDistributionRequest,
  UpdateRuleRequest,
} from '../../management-store.ts';
import { segmentOperator } from '../enums.ts';
import { toDistribution } from '../rows.ts';
import { invalidField, requireRange } from '../validate.ts';
import type { Write } from '../write-context.ts';
import { closeRankGap, reorder } from './ranked.ts';
import {
  flagRow,
  readRule,
  requireFlagAndSegments,
  requireSegments,
  ruleRow,
  segmentKeysOfRequest,
} from './read-one.ts';

/** A single segment is always OR; the operator only means something for two or more. */
function operatorFor(keys: readonly string[], operator: CreateRuleRequest['segmentOperator']): number {
  return keys.length === 1 ? 0 : segmentOperator.toNumber(operator);
}

async function writeRuleSegments(w: Write, ruleId: string, keys: readonly string[]): Promise<void> {
  await w.trx.deleteFrom('rule_segments').where('rule_id', '=', ruleId).execute();
  await w.trx
    .insertInto('rule_segments')
    .values(
      keys.map((key, position) => ({
        rule_id: ruleId,
        namespace_key: w.namespaceKey,
        segment_key: key,
        position,
      })),
    )
    .execute();
}

export async function createRule(w: Write, request: CreateRuleRequest): Promise<Rule> {
  const keys = segmentKeysOfRequest(request);
  if (!Number.isInteger(request.rank) || request.rank <= 0)
    throw invalidField('rank', 'must be greater than 0');
  await requireFlagAndSegments(w, request.flagKey, keys, () => {
    // Flipt names the request's single segmentKey (empty when segmentKeys was used); we name the
    // first given key then, so the message is never `segment "ns/"`.
    const segment = request.segmentKey || keys[0] || '';
    return `flag "${w.namespaceKey}/${request.flagKey}" or segment "${w.namespaceKey}/${segment}" not found`;
  });
  const id = randomUUID();
  await w.trx
    .insertInto('rules')
    .values({
      id,
      namespace_key: w.namespaceKey,
      flag_key: request.flagKey,
      rank: request.rank,
      segment_operator: operatorFor(keys, request.segmentOperator),
      created_at: w.now,
      updated_at: w.now,
    })
    .execute();
  await writeRuleSegments(w, id, keys);
  return readRule(w, request.flagKey, id);
}

export async function updateRule(w: Write, request: UpdateRuleRequest): Promise<Rule> {
  const keys = segmentKeysOfRequest(request);
  await flagRow(w, request.flagKey);
  await ruleRow(w, request.flagKey, request.id);
  await requireSegments(w, keys);
  await w.trx
    .updateTable('rules')
    .set({ segment_operator: operatorFor(keys, request.segmentOperator), updated_at: w.now })
    .where('id', '=', request.id)
    .execute();
  await writeRuleSegments(w, request.id, keys);
  return readRule(w, request.flagKey, request.id);
}

/** The remaining rules are renumbered 1..N in their current order. */
export async function deleteRule(w: Write, request: FlagChildRef): Promise<void> {
  const row = await w.trx
    .selectFrom('rules')
    .select('id')
    .where('namespace_key', '=', w.namespaceKey)
    .where('flag_key', '=', request.flagKey)
    .where('id', '=', request.id)
    .executeTakeFirst();
  if (!row) return;
  await w.trx.deleteFrom('distributions').where('rule_id', '=', row.id).execute();
  await w.trx.deleteFrom('rule_segments').where('rule_id', '=', row.id).execute();
  await w.trx.deleteFrom('rules').where('id', '=', row.id).execute();
  await closeRankGap(w, 'rules', request.flagKey);
}

export async function orderRules(w: Write, request: OrderRulesRequest): Promise<void> {
  if (request.ruleIds.length < 2) throw invalidField('ruleIds', 'must contain at least 2 elements');
  await reorder(w, 'rules', request.flagKey, request.ruleIds);
}

async function requireVariantOfFlag(w: Write, flagKey: string, variantId: string): Promise<void> {
  const variant = await w.trx
    .selectFrom('variants')
    .select('id')
    .where('namespace_key', '=', w.namespaceKey)
    .where('flag_key', '=', flagKey)
    .where('id', '=', variantId)
    .executeTakeFirst();
  if (!variant)
    throw invalidArgument(`variant "${variantId}" not found for flag "${w.namespaceKey}/${flagKey}"`);
}

async function readDistribution(w: Write, ruleId: string, id: string): Promise<Distribution> {
  const row = await w.trx
    .selectFrom('distributions')
    .selectAll()
    .where('rule_id', '=', ruleId)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`distribution "${id}" not found`);
  return toDistribution(row);
}

export async function createDistribution(
  w: Write,
  request: CreateDistributionRequest,
): Promise<Distribution> {
  requireRange('rollout', request.rollout, 0, 100);
  await flagRow(w, request.flagKey);
  await ruleRow(w, request.flagKey, request.ruleId);
  await requireVariantOfFlag(w, request.flagKey, request.variantId);
  const id = randomUUID();
  await w.trx
    .insertInto('distributions')
    .values({
      id,
      namespace_key: w.namespaceKey,
      rule_id: request.ruleId,
      variant_id: request.variantId,
      rollout: request.rollout,
      seq: w.seq,
      created_at: w.now,
      updated_at: w.now,
    })
    .execute();
  return readDistribution(w, request.ruleId, id);
}

export async function updateDistribution(
  w: Write,
  request: UpdateDistributionRequest,
): Promise<Distribution> {
  requireRange('rollout', request.rollout, 0, 100);
  await flagRow(w, request.flagKey);
  await ruleRow(w, request.flagKey, request.ruleId);
  await readDistribution(w, request.ruleId, request.id);
  await requireVariantOfFlag(w, request.flagKey, request.variantId);
  await w.trx
    .updateTable('distributions')
    .set({ variant_id: request.variantId, rollout: request.rollout, updated_at: w.now })
    .where('id', '=', request.id)
    .execute();
  return readDistribution(w, request.ruleId, request.id);
}

export async function deleteDistribution(w: Write, request: DeleteDistributionRequest): Promise<void> {
  await ruleRow(w, request.flagKey, request.ruleId);
  await w.trx
    .deleteFrom('distributions')
    .where('rule_id', '=', request.ruleId)
    .where('id', '=', request.id)
    .where('variant_id', '=', request.variantId)
    .execute();
}
