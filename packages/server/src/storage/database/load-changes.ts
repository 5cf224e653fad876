import {
  type ChangeHint,
  type Draft,
  type Flag,
  type NamespaceSnapshot,
  type NamespaceState,
  type Segment,
  sameData,
} from '@ensign/core';
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
 * The result keeps every untouched flag, segment and rule list as the same object, and names
 * what it reloaded in `hint`, which is what lets the snapshot re-derive only that (see core's
 * snapshot/incremental.ts). `served.snapshot` finds the objects being replaced. Nothing here
 * visits the untouched flags in JavaScript: the lists are copied natively, the seq maps are
 * persistent, and the record of rule lists is copied only when a write changed one.
 */
export async function loadChanges(
  db: Kysely<Tables>,
  served: LoadedNamespace & { snapshot: NamespaceSnapshot },
  touched: ReadonlyMap<number, Touched>,
): Promise<(LoadedNamespace & { hint?: ChangeHint }) | undefined> {
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

  const state: NamespaceState = { ...served.state, namespace: toNamespace(row) };
  const rules = new CopyOnWrite(served.state.rules);
  const rollouts = new CopyOnWrite(served.state.rollouts);
  const hint = {
    flags: new Map<string, Flag | undefined>(),
    segments: new Map<string, Segment | undefined>(),
  };
  const flagSeqs = served.seqs.flags.edit();
  const segmentSeqs = served.seqs.segments.edit();
  state.flags = patch(
    served.state.flags,
    flagSeqs,
    (flagKey) => served.snapshot.flag(flagKey),
    [...flagKeys].map((flagKey, i) => {
      const part = flags[i]!;
      const flag = part.flags[0];
      rules.set(flagKey, part.rules[flagKey]);
      rollouts.set(flagKey, part.rollouts[flagKey]);
      hint.flags.set(flagKey, flag);
      return { key: flagKey, item: flag, seq: part.seqs.get(flagKey) };
    }),
  );
  state.segments = patch(
    served.state.segments,
    segmentSeqs,
    (segmentKey) => served.snapshot.segment(segmentKey),
    [...segmentKeys].map((segmentKey, i) => {
      const part = segments[i]!;
      hint.segments.set(segmentKey, part.segments[0]);
      return { key: segmentKey, item: part.segments[0], seq: part.seqs.get(segmentKey) };
    }),
  );
  state.rules = rules.result;
  state.rollouts = rollouts.result;
  return { state, revision, seqs: { flags: flagSeqs.done(), segments: segmentSeqs.done() }, hint };
}

/**
 * A record of lists copied on the first write that changes one. A reloaded list holding the
 * same data as the served one (a write to the flag itself leaves its rules as they were) keeps
 * the served list: nothing is copied, and the snapshot sees the same object.
 */
class CopyOnWrite<T> {
  result: Record<string, T[]>;
  #copied = false;

  constructor(record: Record<string, T[]>) {
    this.result = record;
  }

  set(key: string, value: T[] | undefined): void {
    const current = Object.hasOwn(this.result, key) ? this.result[key] : undefined;
    if (current === value || sameData(current, value)) return;
    if (!this.#copied) {
      this.result = copyRecord(this.result);
      this.#copied = true;
    }
    if (value) this.result[key] = value;
    else delete this.result[key];
  }
}

/** A null-prototype record has no inherited keys, and for-in copies it ~2.5x faster than Object.assign. */
function copyRecord<T>(record: Record<string, T>): Record<string, T> {
  const copy: Record<string, T> = Object.create(null);
  for (const key in record) copy[key] = record[key]!;
  return copy;
}

/**
 * The list with each reloaded item replaced where it stands, removed when gone, and appended in
 * creation order when new (or created again, which gives it a new `seq`): the order a full load
 * (by `seq`, then key) gives.
 */
function patch<T extends { key: string }>(
  list: readonly T[],
  seqs: Draft<number>,
  servedItem: (key: string) => T | undefined,
  reloaded: { key: string; item: T | undefined; seq: number | undefined }[],
): T[] {
  // slice and indexOf are native: far cheaper per item than a loop over the list.
  const next = list.slice();
  const added: { item: T; seq: number }[] = [];
  for (const { key, item, seq } of reloaded) {
    const old = seqs.get(key);
    const served = old === undefined ? undefined : servedItem(key);
    const at = served ? next.indexOf(served) : -1;
    if (item === undefined || seq === undefined) {
      if (at !== -1) next.splice(at, 1);
      seqs.delete(key);
    } else if (old === seq && at !== -1) {
      next[at] = item;
    } else {
      if (at !== -1) next.splice(at, 1);
      added.push({ item, seq });
      seqs.set(key, seq);
    }
  }
  added.sort((a, b) => a.seq - b.seq || (a.item.key < b.item.key ? -1 : a.item.key > b.item.key ? 1 : 0));
  for (const { item } of added) next.push(item);
  return next;
}
