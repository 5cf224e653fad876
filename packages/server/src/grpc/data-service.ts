import { fromJsonString } from '@bufbuild/protobuf';
import type { ServiceImpl } from '@connectrpc/connect';
import { atReference, type ServicesAt } from '../service/at-reference.ts';
import type { ClientSnapshotBody } from '../service/index.ts';
import {
  type DataService,
  type EvaluationNamespaceSnapshot,
  EvaluationNamespaceSnapshotSchema,
} from './gen/flipt/evaluation/evaluation_pb.js';

/** Flipt reads the client's version from this header to gate the document (docs/client-snapshot.md). */
const ACCEPT_SERVER_VERSION = 'x-flipt-accept-server-version';

/**
 * flipt.evaluation.DataService. The service keeps one JSON body per namespace version and gate;
 * its message form is cached against that body, so polling SDKs cost a lookup, not a parse. A
 * `reference` answers from the snapshot at that revision, as the REST endpoint does.
 */
export function dataServiceImpl(at: ServicesAt): Partial<ServiceImpl<typeof DataService>> {
  const messages = new WeakMap<ClientSnapshotBody, EvaluationNamespaceSnapshot>();
  return {
    evaluationSnapshotNamespace: (request, context) =>
      atReference(at, request.reference, ({ clientSnapshot }) => {
        const result = clientSnapshot.get({
          key: request.key,
          acceptServerVersion: context.requestHeader.get(ACCEPT_SERVER_VERSION) ?? undefined,
        });
        // Without If-None-Match the service always returns a body.
        if (result.notModified) throw new Error('unreachable: snapshot not modified without a validator');
        let message = messages.get(result.body);
        if (!message) {
          message = fromJsonString(EvaluationNamespaceSnapshotSchema, result.body.json, {
            ignoreUnknownFields: true,
          });
          messages.set(result.body, message);
        }
        return message;
      }),
  };
}
