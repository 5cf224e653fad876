import {
  type Flag,
  flagNotFound,
  invalidArgument,
  isEnsignError,
  notFound,
  type Rollout,
  type Rule,
  type Segment,
} from '@ensign/core';
import { toConstraint, toDistribution, toFlag, toRollout, toRule, toSegment, toVariant } from '../rows.ts';
import type { FlagRow, RolloutRow, RuleRow, SegmentRow } from '../tables.ts';
import type { Write } from '../write-context.ts';

// Single-resource reads inside a write transaction: existence checks and the response body.

export const segmentNotFound = (ns: string, key: string) => notFound(`segment "${ns}/${key}" not found`);

export async function flagRow(w: Write, key: string): Promise<FlagRow> {
  const row = await w.trx
    .selectFrom('flags')
    .selectAll()
    .where('namespace_key', '=', w.namespaceKey)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) throw flagNotFound(w.namespaceKey, key);
  return row;
}

export async function readFlag(w: Write, key: string): Promise<Flag> {
  const row = await flagRow(w, key);
  const variants = await w.trx
    .selectFrom('variants')
    .selectAll()
    .where('namespace_key', '=', w.namespaceKey)
    .where('flag_key', '=', key)
    .orderBy('seq')
    .execute();
  return toFlag(row, variants.map(toVariant));
}

export async function segmentRow(w: Write, key: string): Promise<SegmentRow> {
  const row = await w.trx
    .selectFrom('segments')
    .selectAll()
    .where('namespace_key', '=', w.namespaceKey)
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) throw segmentNotFound(w.namespaceKey, key);
  return row;
}

export async function readSegment(w: Write, key: string): Promise<Segment> {
  const row = await segmentRow(w, key);
  const constraints = await w.trx
    .selectFrom('constraints')
    .selectAll()
    .where('namespace_key', '=', w.namespaceKey)
    .where('segment_key', '=', key)
    .orderBy('seq')
    .execute();
  return toSegment(row, constraints.map(toConstraint));
}

/** Every key must name a segment of this namespace. */
export async function requireSegments(w: Write, keys: readonly string[]): Promise<void> {
  const found = await w.trx
    .selectFrom('segments')
    .select('key')
    .where('namespace_key', '=', w.namespaceKey)
    .where('key', 'in', keys)
    .execute();
  const known = new Set(found.map((row) => row.key));
  const missing = keys.find((key) => !known.has(key));
  if (missing !== undefined) throw segmentNotFound(w.namespaceKey, missing);
}

/**
 * Both ends of a new rule or rollout exist, else NotFound with the message Flipt's SQL stores
 * give for the foreign-key failure (scripts match on it).
 */
export async function requireFlagAndSegments(
  w: Write,
  flagKey: string,
  segmentKeys: readonly string[],
  message: () => string,
): Promise<void> {
  try {
    await flagRow(w, flagKey);
    if (segmentKeys.length > 0) await requireSegments(w, segmentKeys);
  } catch (error) {
    if (isEnsignError(error) && error.code === 'not_found') throw notFound(message());
    throw error;
  }
}

export async function ruleRow(w: Write, flagKey: string, id: string): Promise<RuleRow> {
  const row = await w.trx
    .selectFrom('rules')
    .selectAll()
    .where('namespace_key', '=', w.namespaceKey)
    .where('flag_key', '=', flagKey)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`rule "${w.namespaceKey}/${id}" not found`);
  return row;
}

export async function readRule(w: Write, flagKey: string, id: string): Promise<Rule> {
  const row = await ruleRow(w, flagKey, id);
  const segments = await w.trx
    .selectFrom('rule_segments')
    .select('segment_key')
    .where('rule_id', '=', id)
    .orderBy('position')
    .execute();
  const distributions = await w.trx
    .selectFrom('distributions')
    .selectAll()
    .where('rule_id', '=', id)
    .orderBy('seq')
    .execute();
  return toRule(
    row,
    segments.map((s) => s.segment_key),
    distributions.map(toDistribution),
  );
}

export async function rolloutRow(w: Write, flagKey: string, id: string): Promise<RolloutRow> {
  const row = await w.trx
    .selectFrom('rollouts')
    .selectAll()
    .where('namespace_key', '=', w.namespaceKey)
    .where('flag_key', '=', flagKey)
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) throw notFound(`rollout "${w.namespaceKey}/${id}" not found`);
  return row;
}

export async function readRollout(w: Write, flagKey: string, id: string): Promise<Rollout> {
  const row = await rolloutRow(w, flagKey, id);
  const segment = await w.trx
    .selectFrom('rollout_segments')
    .selectAll()
    .where('rollout_id', '=', id)
    .executeTakeFirst();
  const keys = await w.trx
    .selectFrom('rollout_segment_references')
    .select('segment_key')
    .where('rollout_id', '=', id)
    .orderBy('position')
    .execute();
  const threshold = await w.trx
    .selectFrom('rollout_thresholds')
    .selectAll()
    .where('rollout_id', '=', id)
    .executeTakeFirst();
  return toRollout(
    row,
    segment ? { row: segment, keys: keys.map((k) => k.segment_key) } : undefined,
    threshold,
  );
}

/** Rewrites ranks to 1..N in the given order. */
export async function renumber(w: Write, table: 'rules' | 'rollouts', ids: readonly string[]): Promise<void> {
  for (const [index, id] of ids.entries()) {
    await w.trx
      .updateTable(table)
      .set({ rank: index + 1, updated_at: w.now })
      .where('id', '=', id)
      .execute();
  }
}

/** Segment keys as a rule or rollout gives them: exactly one of the two fields, deduplicated. */
export function segmentKeysOfRequest(ref: { segmentKey: string; segmentKeys: string[] }): string[] {
  const { segmentKey, segmentKeys } = ref;
  if (segmentKey !== '' && segmentKeys.length > 0) {
    throw invalidArgument('invalid field segmentKey or segmentKeys: only one can be present');
  }
  const keys = segmentKey !== '' ? [segmentKey] : [...new Set(segmentKeys)];
  if (keys.length === 0) throw invalidArgument('invalid field segmentKey or segmentKeys: must not be empty');
  return keys;
}
