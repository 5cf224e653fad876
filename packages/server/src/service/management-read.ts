import type { Flag, Namespace, NamespaceSnapshot, Rollout, Rule, Segment } from '@ensign/core';
import { flagNotFound, notFound } from '@ensign/core';
import type { SnapshotSource } from '../storage/contract.ts';
import { requireNamespace } from './namespace.ts';
import { type PageRequest, paginate } from './paging.ts';

// The read half of flipt.Flipt over the current snapshot (docs/http-api.md). Orders are the
// source's: declarative sources give flags, segments and namespaces by key; rules and rollouts
// come by rank. Every call reads one snapshot, so a listing never mixes versions.

export interface NamespaceList {
  namespaces: readonly Namespace[];
  nextPageToken: string;
  totalCount: number;
}
export interface FlagList {
  flags: readonly Flag[];
  nextPageToken: string;
  totalCount: number;
}
export interface SegmentList {
  segments: readonly Segment[];
  nextPageToken: string;
  totalCount: number;
}
export interface RuleList {
  rules: readonly Rule[];
  nextPageToken: string;
  totalCount: number;
}
/** Flipt's RolloutList really names its array `rules`. */
export interface RolloutList {
  rules: readonly Rollout[];
  nextPageToken: string;
  totalCount: number;
}

export interface NamespacedPageRequest extends PageRequest {
  namespaceKey?: string;
}
export interface FlagPageRequest extends NamespacedPageRequest {
  flagKey: string;
}

export interface ReadService {
  listNamespaces(request: PageRequest): NamespaceList;
  getNamespace(key: string | undefined): Namespace;
  listFlags(request: NamespacedPageRequest): FlagList;
  getFlag(namespaceKey: string | undefined, key: string): Flag;
  listSegments(request: NamespacedPageRequest): SegmentList;
  getSegment(namespaceKey: string | undefined, key: string): Segment;
  listRules(request: FlagPageRequest): RuleList;
  getRule(namespaceKey: string | undefined, flagKey: string, id: string): Rule;
  listRollouts(request: FlagPageRequest): RolloutList;
  getRollout(namespaceKey: string | undefined, flagKey: string, id: string): Rollout;
}

/** Finds an id among one flag's items first, then the whole namespace (Flipt ignores the flag). */
function findById<T extends { id: string }>(
  byFlag: Readonly<Record<string, readonly T[]>>,
  flagKey: string,
  id: string,
): T | undefined {
  // Own properties only: flag keys are client input, and `constructor` or `__proto__` must not
  // reach Object.prototype.
  const own = Object.hasOwn(byFlag, flagKey) ? byFlag[flagKey]!.find((item) => item.id === id) : undefined;
  if (own) return own;
  for (const items of Object.values(byFlag)) {
    const found = items.find((item) => item.id === id);
    if (found) return found;
  }
  return undefined;
}

// Unknown flags list nothing, as Flipt's fs store does. Asking the snapshot only for known flags
// also keeps client-chosen keys such as `constructor` away from its per-flag records.
const rulesOf = (n: NamespaceSnapshot, flagKey: string): readonly Rule[] =>
  n.flag(flagKey) ? n.rules(flagKey) : [];
const rolloutsOf = (n: NamespaceSnapshot, flagKey: string): readonly Rollout[] =>
  n.flag(flagKey) ? n.rollouts(flagKey) : [];

export function createReadService({ source }: { source: SnapshotSource }): ReadService {
  const ns = (key: string | undefined): NamespaceSnapshot => requireNamespace(source.current(), key);

  return {
    listNamespaces(request) {
      const page = paginate(
        source.current().namespaces.map((n) => n.namespace),
        request,
      );
      return { namespaces: page.items, nextPageToken: page.nextPageToken, totalCount: page.totalCount };
    },
    getNamespace(key) {
      return ns(key).namespace;
    },
    listFlags(request) {
      const page = paginate(ns(request.namespaceKey).state.flags, request);
      return { flags: page.items, nextPageToken: page.nextPageToken, totalCount: page.totalCount };
    },
    getFlag(namespaceKey, key) {
      const n = ns(namespaceKey);
      const flag = n.flag(key);
      if (!flag) throw flagNotFound(n.namespace.key, key);
      return flag;
    },
    listSegments(request) {
      const page = paginate(ns(request.namespaceKey).state.segments, request);
      return { segments: page.items, nextPageToken: page.nextPageToken, totalCount: page.totalCount };
    },
    getSegment(namespaceKey, key) {
      const n = ns(namespaceKey);
      const segment = n.segment(key);
      if (!segment) throw notFound(`segment "${n.namespace.key}/${key}" not found`);
      return segment;
    },
    listRules(request) {
      const page = paginate(rulesOf(ns(request.namespaceKey), request.flagKey), request);
      return { rules: page.items, nextPageToken: page.nextPageToken, totalCount: page.totalCount };
    },
    getRule(namespaceKey, flagKey, id) {
      const n = ns(namespaceKey);
      const rule = findById(n.state.rules, flagKey, id);
      if (!rule) throw notFound(`rule "${n.namespace.key}/${id}" not found`);
      return rule;
    },
    listRollouts(request) {
      const page = paginate(rolloutsOf(ns(request.namespaceKey), request.flagKey), request);
      return { rules: page.items, nextPageToken: page.nextPageToken, totalCount: page.totalCount };
    },
    getRollout(namespaceKey, flagKey, id) {
      const n = ns(namespaceKey);
      const rollout = findById(n.state.rollouts, flagKey, id);
      if (!rollout) throw notFound(`rollout "${n.namespace.key}/${id}" not found`);
      return rollout;
    },
  };
}
