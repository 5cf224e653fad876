import { type Draft, PersistentMap } from '../collections/persistent-map.ts';
import type { EvaluationFlag, EvaluationNamespaceSnapshot, EvaluationSegment } from '../document/types.ts';
import { invalidArgument } from '../errors/ensign-error.ts';
import type { CompiledFlag } from '../evaluation/compiled-flag.ts';
import { evaluatorOf } from '../evaluation/create-evaluator.ts';
import { FlagCompiler } from '../evaluation/flag-compiler.ts';
import type { Evaluator } from '../evaluation/types.ts';
import {
  type Flag,
  type NamespaceState,
  type Rollout,
  type Rule,
  rolloutsOf,
  rulesOf,
  type Segment,
} from '../model/types.ts';
import { type SegmentResolver, toEvaluationFlag, toEvaluationSegment } from './client-document.ts';
import {
  composeVersion,
  flagDigest,
  flagShare,
  type Lanes,
  minus,
  plus,
  segmentDigest,
  segmentShare,
  ZERO,
} from './content-version.ts';

// What a namespace snapshot is derived from, piece by piece, so the next snapshot of the same
// namespace re-derives only the pieces whose inputs changed. Without a change hint, a piece is
// reused when every input it was derived from is the *same object* in the new state (nothing in
// a state is mutated after it is built), which still visits every flag. With a hint naming what
// a write touched, the untouched flags are not visited at all: the maps are persistent, the
// version's sums get the touched shares taken out and put back, and the document and flag list
// are assembled only when someone asks for them.

interface SegmentPiece {
  readonly source: Segment;
  readonly document: EvaluationSegment;
  readonly share: Lanes;
}

interface FlagPiece {
  readonly flag: Flag;
  readonly rules: Rule[] | undefined;
  readonly rollouts: Rollout[] | undefined;
  /** The segments its rules and rollouts use, each once. */
  readonly uses: readonly SegmentPiece[];
  readonly document: EvaluationFlag;
  readonly digest: string;
  readonly compiled: CompiledFlag;
}

export interface NamespacePieces {
  readonly namespaceKey: string;
  /** The state's flags, in document order. */
  readonly order: readonly Flag[];
  readonly flags: PersistentMap<FlagPiece>;
  readonly segments: PersistentMap<SegmentPiece>;
  /** The keys of the flags using each segment; a segment nobody uses is absent. */
  readonly users: PersistentMap<PersistentMap<true>>;
  readonly flagSum: Lanes;
  readonly segmentSum: Lanes;
}

/**
 * What changed since the previous state, by key: the flag (with its rules and rollouts) or
 * segment as it is now, undefined when gone. Every flag and segment not named is the same
 * object as before, with the same rule and rollout lists, and the untouched flags keep their
 * relative order.
 */
export interface ChangeHint {
  readonly flags: ReadonlyMap<string, Flag | undefined>;
  readonly segments: ReadonlyMap<string, Segment | undefined>;
}

export interface DerivedNamespace {
  /** Assembled on each call; the caller keeps the one it needs. */
  document(): EvaluationNamespaceSnapshot;
  evaluator: Evaluator;
  version: string;
  pieces: NamespacePieces;
}

/**
 * The client document, evaluator and version of `state`, reusing what `previous` (the pieces of
 * an earlier snapshot of the same namespace) derived from identical inputs, and visiting only
 * what `hint` names when given. The result is the same, field for field and in the version, as
 * deriving everything afresh.
 */
export function deriveNamespace(
  state: NamespaceState,
  previous?: NamespacePieces,
  hint?: ChangeHint,
): DerivedNamespace {
  const namespaceKey = state.namespace.key;
  const earlier = previous?.namespaceKey === namespaceKey ? previous : undefined;
  const pieces = earlier && hint ? deriveChanges(state, earlier, hint) : deriveAll(state, earlier);
  const { flags } = pieces;
  const ordered = <T>(pick: (piece: FlagPiece) => T): T[] =>
    state.flags.map((flag) => pick(flags.get(flag.key)!));
  return {
    document: () => ({ namespace: { key: namespaceKey }, flags: ordered((piece) => piece.document) }),
    evaluator: evaluatorOf(
      namespaceKey,
      (key) => flags.get(key)?.compiled,
      () => ordered((piece) => piece.compiled),
    ),
    version: composeVersion(
      namespaceKey,
      state.flags.length,
      pieces.flagSum,
      pieces.users.size,
      pieces.segmentSum,
    ),
    pieces,
  };
}

function deriveAll(state: NamespaceState, earlier: NamespacePieces | undefined): NamespacePieces {
  const segments = new Map<string, SegmentPiece>();
  for (const segment of state.segments) {
    const old = earlier?.segments.get(segment.key);
    segments.set(segment.key, old?.source === segment ? old : pieceOfSegment(segment));
  }

  const compiler = new FlagCompiler();
  const flags = new Map<string, FlagPiece>();
  const users = new Map<string, Set<string>>();
  let flagSum = ZERO;
  state.flags.forEach((flag, index) => {
    if (flags.has(flag.key)) {
      const first = state.flags.findIndex((other) => other.key === flag.key);
      throw invalidArgument(
        `invalid snapshot: flags[${index}].key duplicates flags[${first}].key "${flag.key}"`,
      );
    }
    const old = earlier?.flags.get(flag.key);
    const piece =
      old && unchanged(old, state, flag, segments)
        ? old
        : pieceOfFlag(state, flag, index, segments, compiler);
    flags.set(flag.key, piece);
    flagSum = plus(flagSum, flagShare(index, piece.digest));
    for (const segment of piece.uses) {
      const set = users.get(segment.source.key) ?? new Set<string>();
      users.set(segment.source.key, set.add(flag.key));
    }
  });

  let segmentSum = ZERO;
  for (const key of users.keys()) segmentSum = plus(segmentSum, segments.get(key)!.share);
  return {
    namespaceKey: state.namespace.key,
    order: state.flags,
    flags: PersistentMap.of(flags),
    segments: PersistentMap.of(segments),
    users: PersistentMap.of(
      [...users].map(([key, set]) => [key, PersistentMap.of([...set].map((user) => [user, true as const]))]),
    ),
    flagSum,
    segmentSum,
  };
}

function deriveChanges(state: NamespaceState, earlier: NamespacePieces, hint: ChangeHint): NamespacePieces {
  // Drafts copy only what they change: the earlier pieces stay as they were.
  const segments = earlier.segments.edit();
  const flags = earlier.flags.edit();
  const users = earlier.users.edit();
  // A segment many flags use must not cost a copy of all of them when one changes.
  const edited = new Map<string, Draft<true>>();
  const usersOf = (segmentKey: string): Draft<true> => {
    let draft = edited.get(segmentKey);
    if (!draft) {
      draft = (earlier.users.get(segmentKey) ?? PersistentMap.empty<true>()).edit();
      edited.set(segmentKey, draft);
    }
    return draft;
  };

  // Segments whose used-segment share may come or go.
  const touched = new Set<string>();
  // Flags to re-derive: those named, and those using a segment that changed.
  const dirty = new Set<string>(hint.flags.keys());
  for (const [key, segment] of hint.segments) {
    touched.add(key);
    if (!segment) segments.delete(key);
    else if (earlier.segments.get(key)?.source !== segment) segments.set(key, pieceOfSegment(segment));
    for (const user of earlier.users.get(key)?.keys() ?? []) dirty.add(user);
  }

  const compiler = new FlagCompiler();
  for (const key of dirty) {
    const old = earlier.flags.get(key);
    for (const segment of old?.uses ?? []) {
      usersOf(segment.source.key).delete(key);
      touched.add(segment.source.key);
    }
    const flag = hint.flags.has(key) ? hint.flags.get(key) : old?.flag;
    if (!flag) {
      flags.delete(key);
      continue;
    }
    const piece = pieceOfFlag(state, flag, positionOf(state.flags, flag, -1), segments, compiler);
    flags.set(key, piece);
    for (const segment of piece.uses) {
      usersOf(segment.source.key).set(key, true);
      touched.add(segment.source.key);
    }
  }

  let segmentSum = earlier.segmentSum;
  for (const [key, draft] of edited) {
    const now = draft.done();
    if (now.size === 0) users.delete(key);
    else users.set(key, now);
  }
  for (const key of touched) {
    const before = earlier.users.has(key) ? earlier.segments.get(key) : undefined;
    const after = users.get(key) ? segments.get(key) : undefined;
    if (before === after) continue;
    if (before) segmentSum = minus(segmentSum, before.share);
    if (after) segmentSum = plus(segmentSum, after.share);
  }

  const flagsNow = flags.done();
  return {
    namespaceKey: earlier.namespaceKey,
    order: state.flags,
    flags: flagsNow,
    segments: segments.done(),
    users: users.done(),
    flagSum: repositioned(earlier, state.flags, flagsNow, dirty),
    segmentSum,
  };
}

/**
 * The flag sum after re-deriving `dirty`. Untouched flags keep their relative order, so every
 * position before the first touched flag that was added, removed or moved holds the same flag
 * as before: only the flags replaced in place there, and the positions from that one on, have
 * their shares taken out and put back. Creating a flag (it goes last) costs one share.
 */
function repositioned(
  earlier: NamespacePieces,
  order: readonly Flag[],
  flags: PersistentMap<FlagPiece>,
  dirty: ReadonlySet<string>,
): Lanes {
  const before = earlier.order;
  let from = Math.max(before.length, order.length);
  const inPlace: [number, FlagPiece, FlagPiece][] = [];
  for (const key of dirty) {
    const old = earlier.flags.get(key);
    const now = flags.get(key);
    const was = old ? before.indexOf(old.flag) : -1;
    const is = now ? positionOf(order, now.flag, was) : -1;
    if (old && now && was === is) inPlace.push([is, old, now]);
    else from = Math.min(from, was === -1 ? from : was, is === -1 ? from : is);
  }
  let sum = earlier.flagSum;
  for (const [position, old, now] of inPlace) {
    if (position >= from || old.digest === now.digest) continue;
    sum = plus(minus(sum, flagShare(position, old.digest)), flagShare(position, now.digest));
  }
  for (let i = from; i < before.length; i++)
    sum = minus(sum, flagShare(i, earlier.flags.get(before[i]!.key)!.digest));
  for (let i = from; i < order.length; i++) sum = plus(sum, flagShare(i, flags.get(order[i]!.key)!.digest));
  return sum;
}

/** Where `flag` stands in `order`, looking first where it stood (`hint`), then from the end. */
function positionOf(order: readonly Flag[], flag: Flag, hint: number): number {
  if (hint >= 0 && order[hint] === flag) return hint;
  const at = order.lastIndexOf(flag);
  if (at === -1) throw invalidArgument(`change hint names flag "${flag.key}", which the state does not list`);
  return at;
}

function unchanged(
  piece: FlagPiece,
  state: NamespaceState,
  flag: Flag,
  segments: { get(key: string): SegmentPiece | undefined },
): boolean {
  return (
    piece.flag === flag &&
    piece.rules === rulesOf(state, flag.key) &&
    piece.rollouts === rolloutsOf(state, flag.key) &&
    piece.uses.every((segment) => segments.get(segment.source.key) === segment)
  );
}

function pieceOfSegment(segment: Segment): SegmentPiece {
  const document = toEvaluationSegment(segment);
  return { source: segment, document, share: segmentShare(segmentDigest(document)) };
}

function pieceOfFlag(
  state: NamespaceState,
  flag: Flag,
  index: number,
  segments: { get(key: string): SegmentPiece | undefined },
  compiler: FlagCompiler,
): FlagPiece {
  const uses = new Set<SegmentPiece>();
  const resolve: SegmentResolver = (owner, keys) =>
    keys.map((key) => {
      const segment = segments.get(key);
      if (!segment) throw invalidArgument(`${owner} references unknown segment "${key}"`);
      uses.add(segment);
      return segment.document;
    });
  const document = toEvaluationFlag(state, flag, resolve);
  return {
    flag,
    rules: rulesOf(state, flag.key),
    rollouts: rolloutsOf(state, flag.key),
    uses: [...uses],
    document,
    digest: flagDigest(document),
    compiled: compiler.compile(document, `flags[${index}]`),
  };
}
