import { randomUUID } from 'node:crypto';
import { invalidArgument, type Rollout, type RolloutType } from '@ensign/core';
import type {
  CreateRolloutRequest,
  FlagChildRef,
  OrderRolloutsRequest,
  RolloutBody,
  UpdateRolloutRequest,
} from '../../management-store.ts';
import { rolloutType, segmentOperator } from '../enums.ts';
import { invalidField, requireRange } from '../validate.ts';
import type { Write } from '../write-context.ts';
import { closeRankGap, reorder } from './ranked.ts';
import {
  flagRow,
  readRollout,
  requireFlagAndSegments,
  requireSegments,
  rolloutRow,
  segmentKeysOfRequest,
} from './read-one.ts';

function typeOf(body: RolloutBody): RolloutType {
  if (body.segment && body.threshold)
    throw invalidField('rule', 'only one of segment or threshold can be present');
  if (body.segment) return 'SEGMENT_ROLLOUT_TYPE';
  if (body.threshold) return 'THRESHOLD_ROLLOUT_TYPE';
  throw invalidField('rule', 'must not be empty');
}

/** Validates the body and (re)writes the segment or threshold row behind the rollout. */
async function writeRule(w: Write, rolloutId: string, body: RolloutBody): Promise<void> {
  if (body.threshold) {
    requireRange('threshold.percentage', body.threshold.percentage, 0, 100);
    await w.trx.deleteFrom('rollout_thresholds').where('rollout_id', '=', rolloutId).execute();
    await w.trx
      .insertInto('rollout_thresholds')
      .values({
        rollout_id: rolloutId,
        namespace_key: w.namespaceKey,
        percentage: body.threshold.percentage,
        value: body.threshold.value ? 1 : 0,
      })
      .execute();
    return;
  }
  const segment = body.segment!;
  const keys = segmentKeysOfRequest(segment);
  await requireSegments(w, keys);
  await w.trx.deleteFrom('rollout_segment_references').where('rollout_id', '=', rolloutId).execute();
  await w.trx.deleteFrom('rollout_segments').where('rollout_id', '=', rolloutId).execute();
  await w.trx
    .insertInto('rollout_segments')
    .values({
      rollout_id: rolloutId,
      namespace_key: w.namespaceKey,
      value: segment.value ? 1 : 0,
      segment_operator: keys.length === 1 ? 0 : segmentOperator.toNumber(segment.segmentOperator),
    })
    .execute();
  await w.trx
    .insertInto('rollout_segment_references')
    .values(
      keys.map((key, position) => ({
        rollout_id: rolloutId,
        namespace_key: w.namespaceKey,
        segment_key: key,
        position,
      })),
    )
    .execute();
}

export async function createRollout(w: Write, request: CreateRolloutRequest): Promise<Rollout> {
  const type = typeOf(request);
  if (!Number.isInteger(request.rank) || request.rank <= 0)
    throw invalidField('rank', 'must be greater than 0');
  const segmentKeys = request.segment ? segmentKeysOfRequest(request.segment) : [];
  await requireFlagAndSegments(w, request.flagKey, segmentKeys, () =>
    // Flipt words it this way, closing quote included; scripts match on it.
    request.segment
      ? `flag "${w.namespaceKey}/${request.flagKey} or segment ${request.segment.segmentKey || segmentKeys[0] || ''}" not found`
      : `flag "${w.namespaceKey}/${request.flagKey}" not found`,
  );
  const clash = await w.trx
    .selectFrom('rollouts')
    .select('id')
    .where('namespace_key', '=', w.namespaceKey)
    .where('flag_key', '=', request.flagKey)
    .where('rank', '=', request.rank)
    .executeTakeFirst();
  if (clash) throw invalidArgument(`rank number: ${request.rank} already exists`);
  const id = randomUUID();
  await w.trx
    .insertInto('rollouts')
    .values({
      id,
      namespace_key: w.namespaceKey,
      flag_key: request.flagKey,
      type: rolloutType.toNumber(type),
      description: request.description,
      rank: request.rank,
      created_at: w.now,
      updated_at: w.now,
    })
    .execute();
  await writeRule(w, id, request);
  return readRollout(w, request.flagKey, id);
}

export async function updateRollout(w: Write, request: UpdateRolloutRequest): Promise<Rollout> {
  const type = typeOf(request);
  await flagRow(w, request.flagKey);
  const row = await rolloutRow(w, request.flagKey, request.id);
  const have = rolloutType.fromNumber(row.type);
  if (have !== type)
    throw invalidArgument(`cannot change type of rollout: have "${have}" attempted "${type}"`);
  await w.trx
    .updateTable('rollouts')
    .set({ description: request.description, updated_at: w.now })
    .where('id', '=', request.id)
    .execute();
  await writeRule(w, request.id, request);
  return readRollout(w, request.flagKey, request.id);
}

export async function deleteRollout(w: Write, request: FlagChildRef): Promise<void> {
  const row = await w.trx
    .selectFrom('rollouts')
    .select('id')
    .where('namespace_key', '=', w.namespaceKey)
    .where('flag_key', '=', request.flagKey)
    .where('id', '=', request.id)
    .executeTakeFirst();
  if (!row) return;
  await w.trx.deleteFrom('rollout_segment_references').where('rollout_id', '=', row.id).execute();
  await w.trx.deleteFrom('rollout_segments').where('rollout_id', '=', row.id).execute();
  await w.trx.deleteFrom('rollout_thresholds').where('rollout_id', '=', row.id).execute();
  await w.trx.deleteFrom('rollouts').where('id', '=', row.id).execute();
  await closeRankGap(w, 'rollouts', request.flagKey);
}

export async function orderRollouts(w: Write, request: OrderRolloutsRequest): Promise<void> {
  if (request.rolloutIds.length < 2) throw invalidField('rolloutIds', 'must contain at least 2 elements');
  await reorder(w, 'rollouts', request.flagKey, request.rolloutIds);
}
