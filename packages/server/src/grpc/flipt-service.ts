import type { DescMethodUnary } from '@bufbuild/protobuf';
import type { ServiceImpl } from '@connectrpc/connect';
import { atReference, type ServicesAt } from '../service/at-reference.ts';
import type { ManagementOperation, ReadService, Services } from '../service/index.ts';
import { storeRequestOf } from '../service/write-request.ts';
import {
  BatchEvaluationResponseSchema,
  type EvaluationRequest,
  EvaluationResponseSchema,
  FlagListSchema,
  FlagSchema,
  Flipt,
  NamespaceListSchema,
  NamespaceSchema,
  RolloutListSchema,
  RolloutSchema,
  RuleListSchema,
  RuleSchema,
  SegmentListSchema,
  SegmentSchema,
} from './gen/flipt/flipt_pb.js';
import { messageFromService } from './message-json.ts';

// flipt.Flipt: the management API and the deprecated Evaluate / BatchEvaluate, over the same
// service functions as /api/v1. Reads go to the snapshot read service; every write goes to the
// management store, which on read-only storage rejects with Flipt's read-only error.

type FliptImpl = Partial<ServiceImpl<typeof Flipt>>;

/** Every write RPC; its local name is also the store operation's name. */
const WRITES: readonly ManagementOperation[] = [
  'createNamespace',
  'updateNamespace',
  'deleteNamespace',
  'createFlag',
  'updateFlag',
  'deleteFlag',
  'createVariant',
  'updateVariant',
  'deleteVariant',
  'createSegment',
  'updateSegment',
  'deleteSegment',
  'createConstraint',
  'updateConstraint',
  'deleteConstraint',
  'createRule',
  'updateRule',
  'deleteRule',
  'orderRules',
  'createDistribution',
  'updateDistribution',
  'deleteDistribution',
  'createRollout',
  'updateRollout',
  'deleteRollout',
  'orderRollouts',
];

function legacyRequestOf(request: EvaluationRequest) {
  return {
    requestId: request.requestId,
    flagKey: request.flagKey,
    entityId: request.entityId,
    context: request.context,
    namespaceKey: request.namespaceKey,
  };
}

/** The paging fields every List request carries (rollouts have no `offset`). */
function pageOf(r: { limit: number; offset?: number; pageToken: string }) {
  return { limit: r.limit, offset: r.offset, pageToken: r.pageToken };
}

/** Reads answer from the snapshot at the request's `reference` when it names one. */
function readImpl(at: ServicesAt): FliptImpl {
  const readAt = <T>(reference: string, use: (read: ReadService) => T) =>
    atReference(at, reference, ({ read }) => use(read));
  return {
    getNamespace: (r) =>
      readAt(r.reference, (read) => messageFromService(NamespaceSchema, read.getNamespace(r.key))),
    listNamespaces: (r) =>
      readAt(r.reference, (read) => messageFromService(NamespaceListSchema, read.listNamespaces(pageOf(r)))),
    getFlag: (r) =>
      readAt(r.reference, (read) => messageFromService(FlagSchema, read.getFlag(r.namespaceKey, r.key))),
    listFlags: (r) =>
      readAt(r.reference, (read) =>
        messageFromService(
          FlagListSchema,
          read.listFlags({
            namespaceKey: r.namespaceKey,
            ...pageOf(r),
          }),
        ),
      ),
    getSegment: (r) =>
      readAt(r.reference, (read) =>
        messageFromService(SegmentSchema, read.getSegment(r.namespaceKey, r.key)),
      ),
    listSegments: (r) =>
      readAt(r.reference, (read) =>
        messageFromService(
          SegmentListSchema,
          read.listSegments({
            namespaceKey: r.namespaceKey,
            ...pageOf(r),
          }),
        ),
      ),
    getRule: (r) =>
      readAt(r.reference, (read) =>
        messageFromService(RuleSchema, read.getRule(r.namespaceKey, r.flagKey, r.id)),
      ),
    listRules: (r) =>
      readAt(r.reference, (read) =>
        messageFromService(
          RuleListSchema,
          read.listRules({
            namespaceKey: r.namespaceKey,
            flagKey: r.flagKey,
            ...pageOf(r),
          }),
        ),
      ),
    getRollout: (r) =>
      readAt(r.reference, (read) =>
        messageFromService(RolloutSchema, read.getRollout(r.namespaceKey, r.flagKey, r.id)),
      ),
    listRollouts: (r) =>
      readAt(r.reference, (read) =>
        messageFromService(
          RolloutListSchema,
          read.listRollouts({
            namespaceKey: r.namespaceKey,
            flagKey: r.flagKey,
            limit: r.limit,
            pageToken: r.pageToken,
          }),
        ),
      ),
  };
}

function legacyImpl({ legacyEvaluation }: Services): FliptImpl {
  return {
    evaluate: (r) =>
      messageFromService(EvaluationResponseSchema, legacyEvaluation.evaluate(legacyRequestOf(r))),
    batchEvaluate: (r) =>
      messageFromService(
        BatchEvaluationResponseSchema,
        legacyEvaluation.batchEvaluate({
          requestId: r.requestId,
          requests: r.requests.map(legacyRequestOf),
          excludeNotFound: r.excludeNotFound,
          namespaceKey: r.namespaceKey,
        }),
      ),
  };
}

/**
 * The request messages carry exactly the store requests' fields (same lowerCamel names, enums by
 * name through the JSON mapping), so one generic adapter serves all 26 writes.
 */
function writeImpl({ management }: Services): FliptImpl {
  const impl: Record<string, (request: never) => Promise<unknown>> = {};
  for (const op of WRITES) {
    const method = Flipt.method[op] as DescMethodUnary;
    impl[op] = async (request: never) => {
      const body = storeRequestOf(method.input, request);
      const result = await (management[op] as (r: unknown) => Promise<unknown>)(body);
      return method.output.typeName === 'google.protobuf.Empty'
        ? {}
        : messageFromService(method.output, result);
    };
  }
  return impl as FliptImpl;
}

export function fliptServiceImpl(services: Services, at: ServicesAt): FliptImpl {
  return { ...legacyImpl(services), ...readImpl(at), ...writeImpl(services) };
}
