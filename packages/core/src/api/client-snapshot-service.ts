import { type DocumentGate, documentGate } from '../snapshot/version-gate.ts';
import { ifNoneMatchMatches } from './etag.ts';
import { requireNamespace } from './namespace-key.ts';
import type { ServingNamespace, SnapshotReader } from './serving-snapshot.ts';

// flipt.evaluation.DataService/EvaluationSnapshotNamespace (docs/client-snapshot.md). Client
// SDKs poll this, so the body is serialised once per (namespace version, version gate) and
// kept as text on the immutable NamespaceSnapshot; a new snapshot simply misses the cache.

/**
 * Flipt changes the document at two announced versions (1.38.0, 1.47.0); core's documentGate
 * buckets the header. Caching per gate rather than per header string bounds the cache whatever
 * clients send. Each gate is rendered through a representative version.
 */
const GATES: readonly DocumentGate[] = ['legacy', 'no-default-variant', 'current'];
const REPRESENTATIVE: Readonly<Record<DocumentGate, string | undefined>> = {
  legacy: undefined,
  'no-default-variant': '1.38.0',
  current: '1.47.0',
};

export interface ClientSnapshotBody {
  /** The JSON document, serialised once. */
  readonly json: string;
  /** Flipt's unquoted ETag for this namespace version. */
  readonly etag: string;
}

export type ClientSnapshotResult =
  | { readonly notModified: true; readonly etag: string }
  | { readonly notModified: false; readonly etag: string; readonly body: ClientSnapshotBody };

export interface ClientSnapshotRequest {
  key: string | undefined;
  acceptServerVersion?: string;
  ifNoneMatch?: string;
}

export interface ClientSnapshotService {
  get(request: ClientSnapshotRequest): ClientSnapshotResult;
}

export function createClientSnapshotService({ source }: { source: SnapshotReader }): ClientSnapshotService {
  const cache = new WeakMap<ServingNamespace, Array<ClientSnapshotBody | undefined>>();

  function bodyFor(ns: ServingNamespace, gate: DocumentGate): ClientSnapshotBody {
    let bodies = cache.get(ns);
    if (!bodies) {
      bodies = GATES.map(() => undefined);
      cache.set(ns, bodies);
    }
    const slot = GATES.indexOf(gate);
    let body = bodies[slot];
    if (!body) {
      body = { json: ns.clientDocumentJson(REPRESENTATIVE[gate]), etag: ns.etag };
      bodies[slot] = body;
    }
    return body;
  }

  return {
    get({ key, acceptServerVersion, ifNoneMatch }) {
      const ns = requireNamespace(source.current(), key);
      // RFC 9110 matching: Flipt's bare form, quoted, weak, lists and `*` all count.
      if (ifNoneMatchMatches(ifNoneMatch, ns.etag)) {
        return { notModified: true, etag: ns.etag };
      }
      return { notModified: false, etag: ns.etag, body: bodyFor(ns, documentGate(acceptServerVersion)) };
    },
  };
}
