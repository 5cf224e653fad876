import {
  type Distribution,
  type Flag,
  type NamespaceState,
  PersistentMap,
  type Rollout,
  type Rule,
  type Segment,
} from '@ensign/core';
import type { Kysely } from 'kysely';
import {
  toConstraint,
  toDistribution,
  toFlag,
  toNamespace,
  toRollout,
  toRule,
  toSegment,
  toVariant,
} from './rows.ts';
import type { FlagRow, NamespaceRow, RolloutRow, RuleRow, Tables, VariantRow } from './tables.ts';

export interface LoadedNamespace {
  state: NamespaceState;
  revision: number;
  /**
   * The `seq` (creation revision) of every flag and segment: what orders them, so a partial
   * reload can tell a flag that was deleted and created again (it moves to the end).
   */
  seqs: Seqs;
}

/** Persistent maps: a partial reload edits a copy that shares every untouched entry. */
export interface Seqs {
  flags: PersistentMap<number>;
  segments: PersistentMap<number>;
}

/** Every namespace's key and revision, in creation order: the cheap query replicas poll. */
export async function listRevisions(db: Kysely<Tables>): Promise<{ key: string; revision: number }[]> {
  const rows = await db
    .selectFrom('namespaces')
    .select(['key', 'revision'])
    .orderBy('created_at')
    .orderBy('key')
    .execute();
  return rows.map((row) => ({ key: row.key, revision: Number(row.revision) }));
}

/**
 * Loads one namespace as the management model (creation order; rules and rollouts by rank).
 * The queries are separate statements, so a write committed between them could mix two
 * versions: the revision is read before and after, and the load repeats until they agree.
 */
export async function loadNamespace(db: Kysely<Tables>, key: string): Promise<LoadedNamespace | undefined> {
  for (let attempt = 0; ; attempt++) {
    const before = await revisionOf(db, key);
    if (before === undefined) return undefined;
    const [namespace, flags, segments] = await Promise.all([
      namespaceRow(db, key),
      readFlags(db, key),
      readSegments(db, key),
    ]);
    const after = await revisionOf(db, key);
    if (namespace && after === before) {
      return {
        state: {
          namespace: toNamespace(namespace),
          flags: flags.flags,
          segments: segments.segments,
          rules: flags.rules,
          rollouts: flags.rollouts,
        },
        revision: before,
        seqs: { flags: PersistentMap.of(flags.seqs), segments: PersistentMap.of(segments.seqs) },
      };
    }
    if (after === undefined) return undefined;
    if (attempt >= 10) throw new Error(`namespace "${key}" kept changing while it was being loaded`);
  }
}

export async function revisionOf(db: Kysely<Tables>, key: string): Promise<number | undefined> {
  const row = await db.selectFrom('namespaces').select('revision').where('key', '=', key).executeTakeFirst();
  return row ? Number(row.revision) : undefined;
}

export function namespaceRow(db: Kysely<Tables>, key: string): Promise<NamespaceRow | undefined> {
  return db.selectFrom('namespaces').selectAll().where('key', '=', key).executeTakeFirst();
}

function groupBy<T, K>(items: readonly T[], keyOf: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const group = groups.get(key);
    if (group) group.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

function append<T>(groups: Record<string, T[]>, key: string, item: T): void {
  const group = groups[key];
  if (group) group.push(item);
  else groups[key] = [item];
}

export interface FlagsPart {
  /** In creation order. */
  flags: Flag[];
  rules: Record<string, Rule[]>;
  rollouts: Record<string, Rollout[]>;
  seqs: Map<string, number>;
}

/**
 * The flags of a namespace with their variants, rules and rollouts; with `flagKey`, that one
 * flag only (what a write to it changed). Both go through the same queries and conversions, so
 * a flag reloaded alone is identical to the same flag in a full load.
 */
export async function readFlags(db: Kysely<Tables>, ns: string, flagKey?: string): Promise<FlagsPart> {
  const one = flagKey !== undefined;
  const parents = () =>
    Promise.all([
      db
        .selectFrom('flags')
        .selectAll()
        .where('namespace_key', '=', ns)
        .$if(one, (q) => q.where('key', '=', flagKey!))
        .orderBy('seq')
        .orderBy('key')
        .execute(),
      db
        .selectFrom('variants')
        .selectAll()
        .where('namespace_key', '=', ns)
        .$if(one, (q) => q.where('flag_key', '=', flagKey!))
        .orderBy('seq')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('rules')
        .selectAll()
        .where('namespace_key', '=', ns)
        .$if(one, (q) => q.where('flag_key', '=', flagKey!))
        .orderBy('rank')
        .orderBy('created_at')
        .orderBy('id')
        .execute(),
      db
        .selectFrom('rollouts')
        .selectAll()
        .where('namespace_key', '=', ns)
        .$if(one, (q) => q.where('flag_key', '=', flagKey!))
        .orderBy('rank')
        .orderBy('id')
        .execute(),
    ]);
  // A whole namespace: every child row of the namespace, in parallel with the parents. One
  // flag: the children of its rules and rollouts by id, once those are known, and no query at
  // all for a kind it has none of. (By id alone, because with the namespace key as well SQLite
  // picks the namespace index and reads every distribution of the namespace.)
  const ofRules = (ids: string[] | undefined) =>
    one && ids!.length === 0
      ? Promise.resolve([[], []] as const)
      : Promise.all([
          db
            .selectFrom('rule_segments')
            .selectAll()
            .$if(!one, (q) => q.where('namespace_key', '=', ns))
            .$if(one, (q) => q.where('rule_id', 'in', ids!))
            .orderBy('position')
            .execute(),
          db
            .selectFrom('distributions')
            .selectAll()
            .$if(!one, (q) => q.where('namespace_key', '=', ns))
            .$if(one, (q) => q.where('rule_id', 'in', ids!))
            .orderBy('seq')
            .orderBy('id')
            .execute(),
        ]);
  const ofRollouts = (ids: string[] | undefined) =>
    one && ids!.length === 0
      ? Promise.resolve([[], [], []] as const)
      : Promise.all([
          db
            .selectFrom('rollout_thresholds')
            .selectAll()
            .$if(!one, (q) => q.where('namespace_key', '=', ns))
            .$if(one, (q) => q.where('rollout_id', 'in', ids!))
            .execute(),
          db
            .selectFrom('rollout_segments')
            .selectAll()
            .$if(!one, (q) => q.where('namespace_key', '=', ns))
            .$if(one, (q) => q.where('rollout_id', 'in', ids!))
            .execute(),
          db
            .selectFrom('rollout_segment_references')
            .selectAll()
            .$if(!one, (q) => q.where('namespace_key', '=', ns))
            .$if(one, (q) => q.where('rollout_id', 'in', ids!))
            .orderBy('position')
            .execute(),
        ]);
  let flags: FlagRow[], variants: VariantRow[], rules: RuleRow[], rollouts: RolloutRow[];
  let ruleChildren: Awaited<ReturnType<typeof ofRules>>;
  let rolloutChildren: Awaited<ReturnType<typeof ofRollouts>>;
  if (one) {
    [flags, variants, rules, rollouts] = await parents();
    [ruleChildren, rolloutChildren] = await Promise.all([
      ofRules(rules.map((row) => row.id)),
      ofRollouts(rollouts.map((row) => row.id)),
    ]);
  } else {
    [[flags, variants, rules, rollouts], ruleChildren, rolloutChildren] = await Promise.all([
      parents(),
      ofRules(undefined),
      ofRollouts(undefined),
    ]);
  }
  const [ruleSegments, distributions] = ruleChildren;
  const [thresholds, rolloutSegments, references] = rolloutChildren;

  const variantsByFlag = groupBy(variants.map(toVariant), (v) => v.flagKey);
  const segmentKeysByRule = groupBy(ruleSegments, (r) => r.rule_id);
  const distributionsByRule = groupBy(distributions.map(toDistribution), (d) => d.ruleId);
  const thresholdByRollout = new Map(thresholds.map((t) => [t.rollout_id, t]));
  const segmentByRollout = new Map(rolloutSegments.map((s) => [s.rollout_id, s]));
  const referencesByRollout = groupBy(references, (r) => r.rollout_id);

  // Null-prototype records: a flag may be called "__proto__".
  const rulesByFlag: Record<string, Rule[]> = Object.create(null);
  for (const row of rules) {
    const keys = (segmentKeysByRule.get(row.id) ?? []).map((r) => r.segment_key);
    const rule = toRule(row, keys, distributionsByRule.get(row.id) ?? ([] as Distribution[]));
    append(rulesByFlag, row.flag_key, rule);
  }
  const rolloutsByFlag: Record<string, Rollout[]> = Object.create(null);
  for (const row of rollouts) {
    const segmentRow = segmentByRollout.get(row.id);
    const segment = segmentRow
      ? { row: segmentRow, keys: (referencesByRollout.get(row.id) ?? []).map((r) => r.segment_key) }
      : undefined;
    const rollout = toRollout(row, segment, thresholdByRollout.get(row.id));
    append(rolloutsByFlag, row.flag_key, rollout);
  }
  return {
    flags: flags.map((row) => toFlag(row, variantsByFlag.get(row.key) ?? [])),
    rules: rulesByFlag,
    rollouts: rolloutsByFlag,
    seqs: new Map(flags.map((row) => [row.key, Number(row.seq)])),
  };
}

/** The segments of a namespace with their constraints, in creation order; or the one named. */
export async function readSegments(
  db: Kysely<Tables>,
  ns: string,
  segmentKey?: string,
): Promise<{ segments: Segment[]; seqs: Map<string, number> }> {
  const one = segmentKey !== undefined;
  const [segments, constraints] = await Promise.all([
    db
      .selectFrom('segments')
      .selectAll()
      .where('namespace_key', '=', ns)
      .$if(one, (q) => q.where('key', '=', segmentKey!))
      .orderBy('seq')
      .orderBy('key')
      .execute(),
    db
      .selectFrom('constraints')
      .selectAll()
      .where('namespace_key', '=', ns)
      .$if(one, (q) => q.where('segment_key', '=', segmentKey!))
      .orderBy('seq')
      .orderBy('id')
      .execute(),
  ]);
  const constraintsBySegment = groupBy(constraints.map(toConstraint), (c) => c.segmentKey);
  return {
    segments: segments.map((row) => toSegment(row, constraintsBySegment.get(row.key) ?? [])),
    seqs: new Map(segments.map((row) => [row.key, Number(row.seq)])),
  };
}
