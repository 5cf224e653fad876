import type { EvaluationMetrics } from '../observability/metrics.ts';
import type { SnapshotSource } from '../storage/contract.ts';
import { type ManagementStore, readOnlyManagementStore } from '../storage/management-store.ts';
import { type ClientSnapshotService, createClientSnapshotService } from './client-snapshot.ts';
import { createEvaluationService, type EvaluationService } from './evaluation.ts';
import { createLegacyEvaluationService, type LegacyEvaluationService } from './legacy-evaluation.ts';
import { createReadService, type ReadService } from './management-read.ts';
import { createOfrepService, type OfrepService } from './ofrep.ts';

// Everything a transport needs, transport-independent: REST (http/) uses it now, gRPC later.

export interface Services {
  readonly evaluation: EvaluationService;
  readonly legacyEvaluation: LegacyEvaluationService;
  readonly read: ReadService;
  readonly management: ManagementStore;
  readonly clientSnapshot: ClientSnapshotService;
  readonly ofrep: OfrepService;
}

export interface ServiceDeps {
  source: SnapshotSource;
  metrics: EvaluationMetrics;
  /** The writable store of a database backend; read-only sources get the rejecting one. */
  management?: ManagementStore;
}

export function createServices({ source, metrics, management }: ServiceDeps): Services {
  const evaluation = createEvaluationService({ source, metrics });
  return {
    evaluation,
    legacyEvaluation: createLegacyEvaluationService({ source, metrics }),
    read: createReadService({ source }),
    management: source.readOnly || !management ? readOnlyManagementStore : management,
    clientSnapshot: createClientSnapshotService({ source }),
    ofrep: createOfrepService({ source, evaluation }),
  };
}

export type * from '../storage/management-store.ts';
export type * from './client-snapshot.ts';
export type * from './evaluation.ts';
export type * from './legacy-evaluation.ts';
export type * from './management-read.ts';
export type * from './ofrep.ts';
export type * from './paging.ts';
