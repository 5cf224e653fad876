import type { EvaluationNamespaceSnapshot } from '@ensign/core';
import { type DocumentGate, documentGate, gateDocument, type ServingNamespace } from '@ensign/core/api';
import { createEvaluator } from '@ensign/core/evaluation';
import type { StoredSnapshot } from '../persistence/snapshot-store.ts';

// One namespace as the origin sent it, ready to serve. The document was asked for in its newest
// form, so that text is served verbatim to clients announcing >= 1.47.0; older clients get it
// reshaped by the same gate function the server uses, hence the same bytes.

export interface OriginNamespace extends ServingNamespace {
  readonly snapshot: StoredSnapshot;
}

/** Compiles a document; throws (EnsignError invalid_argument) when the origin sent something broken. */
export function originNamespace(snapshot: StoredSnapshot): OriginNamespace {
  const document = JSON.parse(snapshot.text) as EvaluationNamespaceSnapshot;
  const evaluator = createEvaluator(document);
  const gated = new Map<DocumentGate, string>([['current', snapshot.text]]);
  return {
    snapshot,
    evaluator,
    etag: snapshot.etag,
    clientDocumentJson(acceptServerVersion) {
      const gate = documentGate(acceptServerVersion);
      let json = gated.get(gate);
      if (json === undefined) {
        json = JSON.stringify(gateDocument(document, gate));
        gated.set(gate, json);
      }
      return json;
    },
  };
}
