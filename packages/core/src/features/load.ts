import { StableIdPrefix, stableId } from '../hash/stable-id.ts';
import type { ComparisonType, MatchType, SegmentOperator } from '../model/enums.ts';
import { NO_VALUE_OPERATORS, ONE_OF_OPERATORS } from '../model/operators.ts';
import type { Constraint, Flag, NamespaceState, Rollout, Rule, Segment, Variant } from '../model/types.ts';
import { normalizeDatetime } from './constraint-values.ts';
import { isRecord } from './describe.ts';
import type { FileConstraint, FileFlag, FileRollout, FileRule, FileSegment } from './schema.ts';
import type { LoadOptions, Problem, SourceFile } from './types.ts';
import { type CheckedDocument, checkFeatures } from './validate.ts';

// Validated documents → NamespaceState. Ids are stableId(namespace, kind, key, ..., position)
// so the same content gives the same ids on every rebuild and replica.

const EPOCH = '1970-01-01T00:00:00Z';

interface Building {
  key: string;
  name?: string;
  description?: string;
  flags: Map<string, FileFlag>;
  segments: Map<string, FileSegment>;
}

/** One or many segment keys as Flipt stores them: a single key always uses OR (docs/data-model.md). */
function segmentRef(keys: string[], operator: SegmentOperator | null | undefined) {
  const unique = [...new Set(keys)];
  return unique.length === 1
    ? {
        segmentKey: unique[0]!,
        segmentKeys: [] as string[],
        segmentOperator: 'OR_SEGMENT_OPERATOR' as SegmentOperator,
      }
    : { segmentKey: '', segmentKeys: unique, segmentOperator: operator ?? 'OR_SEGMENT_OPERATOR' };
}

/** segmentRef of one key, without the set and arrays it builds for several. */
function singleSegment(segmentKey: string) {
  return {
    segmentKey,
    segmentKeys: [] as string[],
    segmentOperator: 'OR_SEGMENT_OPERATOR' as SegmentOperator,
  };
}

function constraintValue(c: FileConstraint): string {
  const value = c.value ?? '';
  if (NO_VALUE_OPERATORS.has(c.operator)) return '';
  if (c.type === 'DATETIME_COMPARISON_TYPE' && !ONE_OF_OPERATORS.has(c.operator)) {
    return normalizeDatetime(value) ?? value;
  }
  return value;
}

function buildNamespace(ns: Building, now: string, order: 'key' | 'file'): NamespaceState {
  const key = ns.key;
  const stamps = { createdAt: now, updatedAt: now };
  const flags: Flag[] = [];
  // Null-prototype records: flag keys such as "__proto__" are valid and must stay plain entries.
  const rules: Record<string, Rule[]> = Object.create(null);
  const rollouts: Record<string, Rollout[]> = Object.create(null);
  for (const f of ns.flags.values()) {
    // The flag's ids share their first parts: hashed once per flag.
    const flagIds = new StableIdPrefix(key, 'flag', f.key);
    let defaultVariant: Variant | undefined;
    const variants = (f.variants ?? []).map((v) => {
      const variant: Variant = {
        id: flagIds.id('variant', v.key),
        flagKey: f.key,
        key: v.key,
        name: v.name ?? '',
        description: v.description ?? '',
        attachment: v.attachment === undefined || v.attachment === null ? '' : JSON.stringify(v.attachment),
        namespaceKey: key,
        ...stamps,
      };
      if (v.default) defaultVariant = variant; // several defaults: the last wins, like Flipt
      return variant;
    });
    const flag: Flag = {
      key: f.key,
      name: f.name,
      description: f.description ?? '',
      enabled: f.enabled ?? false,
      ...stamps,
      variants,
      namespaceKey: key,
      type: f.type ?? 'VARIANT_FLAG_TYPE',
    };
    if (defaultVariant) flag.defaultVariant = defaultVariant;
    if (f.metadata) flag.metadata = { ...f.metadata };
    flags.push(flag);
    const variantIds = new Map(variants.map((v) => [v.key, v.id]));
    rules[f.key] = (f.rules ?? []).map((r: FileRule, i) => {
      const rank = i + 1; // declarative stores always rank by position
      const id = flagIds.id('rule', rank);
      const ref =
        typeof r.segment === 'string'
          ? singleSegment(r.segment)
          : segmentRef(r.segment.keys, r.segment.operator);
      // Literals spelled out rather than spread: this runs for every rule and distribution of
      // the namespace, and the property order is the one the snapshot always had.
      return {
        id,
        flagKey: f.key,
        segmentKey: ref.segmentKey,
        segmentKeys: ref.segmentKeys,
        segmentOperator: ref.segmentOperator,
        distributions: (r.distributions ?? []).map((d, j) => ({
          id: flagIds.id('rule', rank, 'distribution', j),
          ruleId: id,
          variantId: variantIds.get(d.variant)!,
          rollout: d.rollout,
          createdAt: now,
          updatedAt: now,
        })),
        rank,
        createdAt: now,
        updatedAt: now,
        namespaceKey: key,
      };
    });
    rollouts[f.key] = (f.rollouts ?? []).map((r: FileRollout, i) => {
      const rank = i + 1;
      const rollout: Rollout = {
        id: flagIds.id('rollout', rank),
        namespaceKey: key,
        flagKey: f.key,
        type: r.segment ? 'SEGMENT_ROLLOUT_TYPE' : 'THRESHOLD_ROLLOUT_TYPE',
        rank,
        description: r.description ?? '',
        ...stamps,
      };
      if (r.segment) {
        const keys = r.segment.keys ?? (r.segment.key ? [r.segment.key] : []);
        const ref = segmentRef(keys, r.segment.operator);
        rollout.segment = {
          segmentKey: ref.segmentKey,
          value: r.segment.value ?? false,
          segmentKeys: ref.segmentKeys,
          segmentOperator: ref.segmentOperator,
        };
      } else if (r.threshold) {
        rollout.threshold = { percentage: r.threshold.percentage, value: r.threshold.value ?? false };
      }
      return rollout;
    });
  }
  const segments: Segment[] = [...ns.segments.values()].map((s) => ({
    key: s.key,
    name: s.name,
    description: s.description ?? '',
    ...stamps,
    constraints: (s.constraints ?? []).map(
      (c, i): Constraint => ({
        id: stableId(key, 'segment', s.key, 'constraint', i),
        segmentKey: s.key,
        type: c.type as ComparisonType,
        property: c.property,
        operator: c.operator,
        value: constraintValue(c),
        ...stamps,
        namespaceKey: key,
        description: c.description ?? '',
      }),
    ),
    matchType: (s.match_type ?? 'ALL_MATCH_TYPE') as MatchType,
    namespaceKey: key,
  }));
  if (order === 'key') {
    flags.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    segments.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  }
  return {
    namespace: {
      key,
      name: ns.name || (key === 'default' ? 'Default' : key),
      description: ns.description ?? '',
      protected: key === 'default',
      ...stamps,
    },
    flags,
    segments,
    rules,
    rollouts,
  };
}

/** Merges documents into namespaces; a later flag or segment with the same key replaces the earlier. */
export function buildNamespaces(
  documents: readonly CheckedDocument[],
  options: LoadOptions = {},
): NamespaceState[] {
  const byKey = new Map<string, Building>();
  const order = options.order ?? 'key';
  // Flipt's declarative snapshots always hold the default namespace.
  if (order === 'key') byKey.set('default', { key: 'default', flags: new Map(), segments: new Map() });
  for (const doc of documents) {
    let ns = byKey.get(doc.namespaceKey);
    if (!ns) {
      ns = { key: doc.namespaceKey, flags: new Map(), segments: new Map() };
      byKey.set(doc.namespaceKey, ns);
    }
    const namespace = doc.value['namespace'];
    if (isRecord(namespace)) {
      if (typeof namespace['name'] === 'string') ns.name = namespace['name'];
      if (typeof namespace['description'] === 'string') ns.description = namespace['description'];
    }
    for (const f of (doc.value['flags'] ?? []) as FileFlag[]) ns.flags.set(f.key, f);
    for (const s of (doc.value['segments'] ?? []) as FileSegment[]) ns.segments.set(s.key, s);
  }
  const all = [...byKey.values()];
  if (order === 'key') all.sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  return all.map((ns) => buildNamespace(ns, options.now ?? EPOCH, order));
}

/**
 * Validates and loads feature files (already selected through the index). When any problem
 * exists no namespace is returned: the caller keeps serving its last good snapshot.
 */
export function loadFeatures(
  files: readonly SourceFile[],
  options: LoadOptions = {},
): { namespaces: NamespaceState[]; problems: Problem[] } {
  const { documents, problems } = checkFeatures(files);
  if (problems.length > 0) return { namespaces: [], problems };
  return { namespaces: buildNamespaces(documents, options), problems };
}
