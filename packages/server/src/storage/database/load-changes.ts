import type { NamespaceState } from '@ensign/core';
import type { Kysely } from 'kysely';
import { type LoadedNamespace, namespaceRow, readFlags, readSegments, revisionOf } from './load-state.ts';
import { toNamespace } from './rows.ts';
import type { Tables } from './tables.ts';
import type { Touched } from './write-context.ts';

/** Beyond this many revisions behind, one full load is cheaper than replaying the writes. */
const MAX_REPLAYED = 64;

/**
 * Brings `served` up to the namespace's current revision by reloading only the flags and
 * segments the writes in between touched, when every one of those writes is in `touched` (this
 * replica's own writes). Anything else — a write from another replica, a namespace-wide change,
 * a namespace that disappeared, or a write landing while reading — returns undefined, and the
 * caller loads the namespace in full.
 *
 * The result keeps every untouched flag, segment and rule list as the same object, which is
 * what lets the snapshot re-derive only what changed (see core's snapshot/incremental.ts).
 */
export async function loadChanges(
  db: Kysely<Tables>,
  served: LoadedNamespace,
  touched: ReadonlyMap<number, Touched>,
): Promise<LoadedNamespace | undefined> {
  const key = served.state.namespace.key;
  const row = await namespaceRow(db, key);
  if (!row) return undefined;
  const revision = Number(row.revision);
  if (revision === served.revision) return served;
  if (revision < served.revision || revision - served.revision > MAX_REPLAYED) return undefined;

  const flagKeys = new Set<string>();
  const segmentKeys = new Set<string>();
  for (let r = served.revision + 1; r <= revision; r++) {
    const change = touched.get(r);
    if (!change || 'namespace' in change) return undefined;
    if ('flag' in change) flagKeys.add(change.flag);
    else segmentKeys.add(change.segment);
  }
  const [flags, segments] = await Promise.all([
    Promise.all([...flagKeys].map((flagKey) => readFlags(db, key, flagKey))),
    Promise.all([...segmentKeys].map((segmentKey) => readSegments(db, key, segmentKey))),
  ]);
  // A write committed while reading could have been half seen.
  if ((await revisionOf(db, key)) !== revision) return undefined;

  const state: NamespaceState = {
    ...served.state,
    namespace: toNamespace(row),
    rules: Object.assign(Object.create(null), served.state.rules),
    rollouts: Object.assign(Object.create(null), served.state.rollouts),
  };
  const flagSeqs = new Map(served.seqs.flags);
  const segmentSeqs = new Map(served.seqs.segments);
  state.flags = patch(
    served.state.flags,
    flagSeqs,
    [...flagKeys].map((flagKey, i) => {
      const part = flags[i]!;
      const flag = part.flags[0];
      setOrDelete(state.rules, flagKey, part.rules[flagKey]);
      setOrDelete(state.rollouts, flagKey, part.rollouts[flagKey]);
      return { key: flagKey, item: flag, seq: part.seqs.get(flagKey) };
    }),
  );
  state.segments = patch(
    served.state.segments,
    segmentSeqs,
    [...segmentKeys].map((segmentKey, i) => {
      const part = segments[i]!;
      return { key: segmentKey, item: part.segments[0], seq: part.seqs.get(segmentKey) };
    }),
  );
  return { state, revision, seqs: { flags: flagSeqs, segments: segmentSeqs } };
}

function setOrDelete<T>(record: Record<string, T[]>, key: string, value: T[] | undefined): void {
  if (value) record[key] = value;
  else delete record[key];
}

/**
 * The list with each reloaded item replaced where it stands, removed when gone, and appended in
 * creation order when new (or created again, which gives it a new `seq`): the order a full load
 * (by `seq`, then key) gives.
 */
function patch<T extends { key: string }>(
  list: readonly T[],
  seqs: Map<string, number>,
  reloaded: { key: string; item: T | undefined; seq: number | undefined }[],
): T[] {
  const replace = new Map<string, T | undefined>();
  const added: { item: T; seq: number }[] = [];
  for (const { key, item, seq } of reloaded) {
    const old = seqs.get(key);
    if (item === undefined || seq === undefined) {
      replace.set(key, undefined);
      seqs.delete(key);
    } else if (old === seq) {
      replace.set(key, item);
    } else {
      if (old !== undefined) replace.set(key, undefined);
      added.push({ item, seq });
      seqs.set(key, seq);
    }
  }
  const next: T[] = [];
  for (const item of list) {
    if (!replace.has(item.key)) next.push(item);
    else {
      const replacement = replace.get(item.key);
      if (replacement) next.push(replacement);
    }
  }
  added.sort((a, b) => a.seq - b.seq || (a.item.key < b.item.key ? -1 : a.item.key > b.item.key ? 1 : 0));
  for (const { item } of added) next.push(item);
  return next;
}
