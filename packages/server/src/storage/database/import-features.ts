import { EnsignError, loadFeatures, type NamespaceState, type SourceFile } from '@ensign/core';
import type { ManagementStore } from '../management-store.ts';
import type { Connection } from './connect.ts';

export interface ImportOptions {
  /** Delete everything first (the default namespace stays, emptied). */
  drop?: boolean;
  /** Leave flags and segments whose keys already exist untouched instead of failing. */
  skipExisting?: boolean;
}

export interface ImportResult {
  namespaces: number;
  flags: number;
  segments: number;
  skipped: number;
}

/**
 * `flipt import`: feature files written through the management store, in Flipt's order —
 * namespace, flags with variants (then the default variant), segments with constraints, then
 * rules with distributions and rollouts, which refer to both. Each resource is its own write,
 * like Flipt's importer; a failure stops the import where it is.
 */
export async function importFeatures(
  connection: Connection,
  store: ManagementStore,
  files: readonly SourceFile[],
  options: ImportOptions = {},
): Promise<ImportResult> {
  const { namespaces, problems } = loadFeatures(files, { order: 'file' });
  if (problems.length > 0) {
    const text = problems.map((p) => `${p.file}:${p.line}: ${p.message}`).join('\n');
    throw new EnsignError('invalid_argument', `cannot import:\n${text}`);
  }
  if (options.drop) await dropAll(connection);
  const result: ImportResult = { namespaces: 0, flags: 0, segments: 0, skipped: 0 };
  for (const state of namespaces) await importNamespace(connection, store, state, options, result);
  return result;
}

async function dropAll({ db }: Connection): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const tables = [
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
    for (const table of tables) await trx.deleteFrom(table).execute();
    await trx.deleteFrom('namespaces').where('key', '<>', 'default').execute();
    // Replicas reload `default` because its revision moves.
    await trx
      .updateTable('namespaces')
      .set((eb) => ({ revision: eb('revision', '+', 1), state_modified_at: new Date().toISOString() }))
      .where('key', '=', 'default')
      .execute();
  });
}

async function existingKeys(
  { db }: Connection,
  table: 'flags' | 'segments',
  ns: string,
): Promise<Set<string>> {
  const rows = await db.selectFrom(table).select('key').where('namespace_key', '=', ns).execute();
  return new Set(rows.map((row) => row.key));
}

async function importNamespace(
  connection: Connection,
  store: ManagementStore,
  state: NamespaceState,
  options: ImportOptions,
  result: ImportResult,
): Promise<void> {
  const namespaceKey = state.namespace.key;
  const known = await connection.db
    .selectFrom('namespaces')
    .select('key')
    .where('key', '=', namespaceKey)
    .executeTakeFirst();
  if (!known) {
    const { name, description } = state.namespace;
    await store.createNamespace({ key: namespaceKey, name: name || namespaceKey, description });
    result.namespaces++;
  }
  const skip = options.skipExisting;
  const flagsThere = skip ? await existingKeys(connection, 'flags', namespaceKey) : new Set<string>();
  const segmentsThere = skip ? await existingKeys(connection, 'segments', namespaceKey) : new Set<string>();

  // File variant ids are derived; the store makes new ones. Distributions are mapped through this.
  const variantIds = new Map<string, string>();
  const importedFlags = state.flags.filter((flag) => !flagsThere.has(flag.key));
  result.skipped += state.flags.length - importedFlags.length;
  for (const flag of importedFlags) {
    const { key, name, description, enabled, type, metadata } = flag;
    await store.createFlag({
      namespaceKey,
      key,
      name,
      description,
      enabled,
      type,
      ...(metadata ? { metadata } : {}),
    });
    for (const variant of flag.variants) {
      const created = await store.createVariant({
        namespaceKey,
        flagKey: key,
        key: variant.key,
        name: variant.name,
        description: variant.description,
        attachment: variant.attachment,
      });
      variantIds.set(variant.id, created.id);
    }
    if (flag.defaultVariant) {
      await store.updateFlag({
        namespaceKey,
        key,
        name,
        description,
        enabled,
        defaultVariantId: variantIds.get(flag.defaultVariant.id)!,
      });
    }
    result.flags++;
  }

  for (const segment of state.segments) {
    if (segmentsThere.has(segment.key)) {
      result.skipped++;
      continue;
    }
    const { key, name, description, matchType } = segment;
    await store.createSegment({ namespaceKey, key, name, description, matchType });
    for (const c of segment.constraints) {
      await store.createConstraint({
        namespaceKey,
        segmentKey: key,
        type: c.type,
        property: c.property,
        operator: c.operator,
        value: c.value,
        description: c.description,
      });
    }
    result.segments++;
  }

  for (const flag of importedFlags) {
    for (const rule of state.rules[flag.key] ?? []) {
      const created = await store.createRule({
        namespaceKey,
        flagKey: flag.key,
        segmentKey: rule.segmentKey,
        segmentKeys: rule.segmentKeys,
        segmentOperator: rule.segmentOperator,
        rank: rule.rank,
      });
      for (const d of rule.distributions) {
        await store.createDistribution({
          namespaceKey,
          flagKey: flag.key,
          ruleId: created.id,
          variantId: variantIds.get(d.variantId)!,
          rollout: d.rollout,
        });
      }
    }
    for (const rollout of state.rollouts[flag.key] ?? []) {
      await store.createRollout({
        namespaceKey,
        flagKey: flag.key,
        rank: rollout.rank,
        description: rollout.description,
        ...(rollout.segment ? { segment: rollout.segment } : {}),
        ...(rollout.threshold ? { threshold: rollout.threshold } : {}),
      });
    }
  }
}
