import type { EvaluationNamespaceSnapshot } from '../document/types.ts';
import { sha1Hex } from '../hash/sha1.ts';
import { type NamespaceState, type Rollout, type Rule, rolloutsOf, rulesOf } from '../model/types.ts';
import { type ChangeHint, deriveNamespace, type NamespacePieces } from './incremental.ts';
import type { NamespaceSnapshot, Snapshot } from './types.ts';
import { type DocumentGate, documentGate, gateDocument } from './version-gate.ts';

const NO_RULES: readonly Rule[] = Object.freeze([]);
const NO_ROLLOUTS: readonly Rollout[] = Object.freeze([]);

// What each snapshot was derived from, for the next snapshot of its namespace to reuse.
const PIECES = new WeakMap<NamespaceSnapshot, NamespacePieces>();

/** Builds one namespace's immutable snapshot; throws EnsignError if the state is inconsistent. */
export function buildNamespaceSnapshot(state: NamespaceState, revision?: string): NamespaceSnapshot {
  return rebuildNamespaceSnapshot(undefined, state, revision);
}

/**
 * The snapshot of `state`, re-deriving only the flags and segments that are not the same objects
 * as in `previous`, or, given `hint`, only those it names (see incremental.ts); equal in every
 * field, version included, to `buildNamespaceSnapshot(state)`. `revision` is the source's
 * management revision, if it has one.
 */
export function rebuildNamespaceSnapshot(
  previous: NamespaceSnapshot | undefined,
  state: NamespaceState,
  revision?: string,
  hint?: ChangeHint,
): NamespaceSnapshot {
  const derived = deriveNamespace(state, previous && PIECES.get(previous), hint);
  const { evaluator, version, pieces } = derived;
  // Built when a client first asks: a write only needs the version to be ready.
  const gated = new Map<DocumentGate, EvaluationNamespaceSnapshot>();
  const gatedJson = new Map<DocumentGate, string>();
  const gatedDocument = (gate: DocumentGate): EvaluationNamespaceSnapshot => {
    let built = gated.get(gate);
    if (!built) {
      const current = gated.get('current') ?? derived.document();
      gated.set('current', current);
      built = gateDocument(current, gate);
      gated.set(gate, built);
    }
    return built;
  };

  const snapshot: NamespaceSnapshot = {
    namespace: state.namespace,
    state,
    version,
    etag: sha1Hex(version),
    ...(revision === undefined ? {} : { revision }),
    evaluator,
    flag: (key) => pieces.flags.get(key)?.flag,
    segment: (key) => pieces.segments.get(key)?.source,
    rules: (flagKey) => rulesOf(state, flagKey) ?? NO_RULES,
    rollouts: (flagKey) => rolloutsOf(state, flagKey) ?? NO_ROLLOUTS,
    clientDocument: (acceptServerVersion) => gatedDocument(documentGate(acceptServerVersion)),
    clientDocumentJson(acceptServerVersion) {
      const gate = documentGate(acceptServerVersion);
      let json = gatedJson.get(gate);
      if (json === undefined) {
        json = JSON.stringify(gatedDocument(gate));
        gatedJson.set(gate, json);
      }
      return json;
    },
  };
  PIECES.set(snapshot, derived.pieces);
  return snapshot;
}

/** An empty `default` namespace, which Flipt always has even when no file mentions it. */
export function emptyDefaultNamespace(now = '1970-01-01T00:00:00Z'): NamespaceState {
  return {
    namespace: {
      key: 'default',
      name: 'Default',
      description: 'Default namespace',
      protected: true,
      createdAt: now,
      updatedAt: now,
    },
    flags: [],
    segments: [],
    rules: {},
    rollouts: {},
  };
}

/**
 * Builds the snapshot of every namespace, keeping the given order. A missing `default`
 * namespace is added before the first key that sorts after it.
 */
export function buildSnapshot(states: readonly NamespaceState[], options: { now?: string } = {}): Snapshot {
  const all = [...states];
  if (!all.some((state) => state.namespace.key === 'default')) {
    const at = all.findIndex((state) => state.namespace.key > 'default');
    all.splice(at === -1 ? all.length : at, 0, emptyDefaultNamespace(options.now));
  }
  return snapshotOf(all.map((state) => buildNamespaceSnapshot(state)));
}

/** Wraps already-built namespaces, so a source can rebuild only the namespaces that changed. */
export function snapshotOf(namespaces: readonly NamespaceSnapshot[]): Snapshot {
  const byKey = new Map(namespaces.map((namespace) => [namespace.namespace.key, namespace]));
  return {
    namespaces,
    namespace: (key) => byKey.get(key === '' ? 'default' : key),
  };
}
