import type { EvaluationNamespaceSnapshot } from '../document/types.ts';
import type { Evaluator } from '../evaluation/types.ts';
import type { Flag, Namespace, NamespaceState, Rollout, Rule, Segment } from '../model/types.ts';

/**
 * One namespace, immutable once built: the management view (for the read API), the compiled
 * evaluator and the client snapshot document. Requests read one of these and never see a
 * half-applied change.
 */
export interface NamespaceSnapshot {
  readonly namespace: Namespace;
  readonly state: NamespaceState;
  /**
   * A hash of the client snapshot document (newest form): the same content gives the same
   * version on every replica, whenever it was loaded.
   */
  readonly version: string;
  /** Flipt's ETag for the client snapshot: lowercase hex SHA-1 of `version`, unquoted. */
  readonly etag: string;
  /**
   * The source's management revision of this namespace, when it keeps one: it moves with every
   * committed change, including those evaluation never sees (a segment's name, an unused variant),
   * which leave `version` and `etag` as they were. Compared for equality only.
   */
  readonly revision?: string;
  readonly evaluator: Evaluator;
  flag(key: string): Flag | undefined;
  segment(key: string): Segment | undefined;
  /** Rules of a flag in rank order (empty for unknown flags). */
  rules(flagKey: string): readonly Rule[];
  rollouts(flagKey: string): readonly Rollout[];
  /**
   * The client snapshot document as Flipt v1 serves it to a client announcing
   * `X-Flipt-Accept-Server-Version` (absent means 1.37.1): below 1.38.0 ENTITY_ID constraints
   * become UNKNOWN, below 1.47.0 `defaultVariant` is left out. Built once per gate.
   */
  clientDocument(acceptServerVersion?: string): EvaluationNamespaceSnapshot;
  /** `clientDocument(...)` serialised on first use, once per gate, ready to send. */
  clientDocumentJson(acceptServerVersion?: string): string;
}

/** Every namespace a source holds; `default` always exists. */
export interface Snapshot {
  /** In source order (declarative: by key; SQL: by creation). */
  readonly namespaces: readonly NamespaceSnapshot[];
  namespace(key: string): NamespaceSnapshot | undefined;
}
