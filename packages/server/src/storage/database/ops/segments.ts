import { randomUUID } from 'node:crypto';
import { type Constraint, invalidArgument, notFound, type Segment } from '@ensign/core';
import type {
  ConstraintRef,
  CreateConstraintRequest,
  CreateSegmentRequest,
  SegmentRef,
  UpdateConstraintRequest,
  UpdateSegmentRequest,
} from '../../management-store.ts';
import { comparisonType, matchType } from '../enums.ts';
import { toConstraint } from '../rows.ts';
import { normaliseConstraint, requireKey, requireValue } from '../validate.ts';
import type { Write } from '../write-context.ts';
import { readSegment, segmentRow } from './read-one.ts';

export async function createSegment(w: Write, request: CreateSegmentRequest): Promise<Segment> {
  requireKey('key', request.key);
  requireValue('name', request.name);
  const existing = await w.trx
    .selectFrom('segments')
    .select('key')
    .where('namespace_key', '=', w.namespaceKey)
    .where('key', '=', request.key)
    .executeTakeFirst();
  if (existing) throw invalidArgument(`segment "${w.namespaceKey}/${request.key}" is not unique`);
  await w.trx
    .insertInto('segments')
    .values({
      namespace_key: w.namespaceKey,
      key: request.key,
      name: request.name,
      description: request.description,
      match_type: matchType.toNumber(request.matchType),
      seq: w.seq,
      created_at: w.now,
      updated_at: w.now,
    })
    .execute();
  return readSegment(w, request.key);
}

export async function updateSegment(w: Write, request: UpdateSegmentRequest): Promise<Segment> {
  requireValue('name', request.name);
  await segmentRow(w, request.key);
  await w.trx
    .updateTable('segments')
    .set({
      name: request.name,
      description: request.description,
      match_type: matchType.toNumber(request.matchType),
      updated_at: w.now,
    })
    .where('namespace_key', '=', w.namespaceKey)
    .where('key', '=', request.key)
    .execute();
  return readSegment(w, request.key);
}

/** Refused while a rule or rollout refers to the segment (Flipt: FK ON DELETE RESTRICT). */
export async function deleteSegment(w: Write, request: SegmentRef): Promise<void> {
  const ns = w.namespaceKey;
  for (const table of ['rule_segments', 'rollout_segment_references'] as const) {
    const used = await w.trx
      .selectFrom(table)
      .select('segment_key')
      .where('namespace_key', '=', ns)
      .where('segment_key', '=', request.key)
      .executeTakeFirst();
    if (used) throw invalidArgument(`segment "${ns}/${request.key}" is in use`);
  }
  await w.trx
    .deleteFrom('constraints')
    .where('namespace_key', '=', ns)
    .where('segment_key', '=', request.key)
    .execute();
  await w.trx.deleteFrom('segments').where('namespace_key', '=', ns).where('key', '=', request.key).execute();
}

async function readConstraint(w: Write, segmentKey: string, id: string): Promise<Constraint> {
  const row = await w.trx
    .selectFrom('constraints')
    .selectAll()
    .where('namespace_key', '=', w.namespaceKey)
    .where('segment_key', '=', segmentKey)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`constraint "${w.namespaceKey}/${id}" not found`);
  return toConstraint(row);
}

export async function createConstraint(w: Write, request: CreateConstraintRequest): Promise<Constraint> {
  const { operator, value } = normaliseConstraint(request);
  await segmentRow(w, request.segmentKey);
  const id = randomUUID();
  await w.trx
    .insertInto('constraints')
    .values({
      id,
      namespace_key: w.namespaceKey,
      segment_key: request.segmentKey,
      type: comparisonType.toNumber(request.type),
      property: request.property,
      operator,
      value,
      description: request.description,
      seq: w.seq,
      created_at: w.now,
      updated_at: w.now,
    })
    .execute();
  return readConstraint(w, request.segmentKey, id);
}

export async function updateConstraint(w: Write, request: UpdateConstraintRequest): Promise<Constraint> {
  const { operator, value } = normaliseConstraint(request);
  await segmentRow(w, request.segmentKey);
  await readConstraint(w, request.segmentKey, request.id);
  await w.trx
    .updateTable('constraints')
    .set({
      type: comparisonType.toNumber(request.type),
      property: request.property,
      operator,
      value,
      description: request.description,
      updated_at: w.now,
    })
    .where('id', '=', request.id)
    .execute();
  return readConstraint(w, request.segmentKey, request.id);
}

export async function deleteConstraint(w: Write, request: ConstraintRef): Promise<void> {
  await w.trx
    .deleteFrom('constraints')
    .where('namespace_key', '=', w.namespaceKey)
    .where('segment_key', '=', request.segmentKey)
    .where('id', '=', request.id)
    .execute();
}
