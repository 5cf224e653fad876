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
import { composeVersion, flagDigest, segmentDigest } from './content-version.ts';

// What a namespace snapshot is derived from, piece by piece, so the next snapshot of the same
// namespace re-derives only the pieces whose inputs changed. A piece is reused when every input
// it was derived from is the *same object* in the new state: callers that change one flag build
// the new NamespaceState by copying the old one and replacing only what changed, and a piece
// can never be reused by mistake because nothing in a state is mutated after it is built.

interface SegmentPiece {
  readonly source: Segment;
  readonly document: EvaluationSegment;
  readonly digest: string;
}

interface FlagPiece {
  readonly flag: Flag;
  readonly rules: Rule[] | undefined;
  readonly rollouts: Rollout[] | undefined;
  /** The segments its rules and rollouts use, each once, in order of first use. */
  readonly uses: readonly SegmentPiece[];
  readonly document: EvaluationFlag;
  readonly digest: string;
  readonly compiled: CompiledFlag;
}

export interface NamespacePieces {
  readonly namespaceKey: string;
  readonly flags: ReadonlyMap<string, FlagPiece>;
  readonly segments: ReadonlyMap<string, SegmentPiece>;
}

export interface DerivedNamespace {
  document: EvaluationNamespaceSnapshot;
  evaluator: Evaluator;
  version: string;
  pieces: NamespacePieces;
}

/**
 * The client document, evaluator and version of `state`, reusing what `previous` (the pieces of
 * an earlier snapshot of the same namespace) derived from identical inputs. The result is the
 * same, field for field and in the version, as deriving everything afresh.
 */
export function deriveNamespace(state: NamespaceState, previous?: NamespacePieces): DerivedNamespace {
  const namespaceKey = state.namespace.key;
  const earlier = previous?.namespaceKey === namespaceKey ? previous : undefined;

  const segments = new Map<string, SegmentPiece>();
  for (const segment of state.segments) {
    const old = earlier?.segments.get(segment.key);
    segments.set(segment.key, old?.source === segment ? old : pieceOfSegment(segment));
  }

  const compiler = new FlagCompiler();
  const flags = new Map<string, FlagPiece>();
  const flagPieces: FlagPiece[] = [];
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
    flagPieces.push(piece);
  });

  const used = new Set<SegmentPiece>();
  for (const piece of flagPieces) for (const segment of piece.uses) used.add(segment);
  return {
    document: { namespace: { key: namespaceKey }, flags: flagPieces.map((piece) => piece.document) },
    evaluator: evaluatorOf(
      namespaceKey,
      flagPieces.map((piece) => piece.compiled),
    ),
    version: composeVersion(
      namespaceKey,
      flagPieces.map((piece) => piece.digest),
      [...used].map((segment) => segment.digest),
    ),
    pieces: { namespaceKey, flags, segments },
  };
}

function unchanged(
  piece: FlagPiece,
  state: NamespaceState,
  flag: Flag,
  segments: ReadonlyMap<string, SegmentPiece>,
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
  return { source: segment, document, digest: segmentDigest(document) };
}

function pieceOfFlag(
  state: NamespaceState,
  flag: Flag,
  index: number,
  segments: ReadonlyMap<string, SegmentPiece>,
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
