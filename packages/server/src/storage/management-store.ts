import type {
  ComparisonType,
  Constraint,
  Distribution,
  Flag,
  FlagMetadata,
  FlagType,
  MatchType,
  Namespace,
  Rollout,
  Rule,
  Segment,
  SegmentOperator,
  Variant,
} from '@ensign/core';
import { readOnly } from '@ensign/core';

// The write half of flipt.Flipt (docs/data-model.md). Transports decode a request into these
// shapes and call the store; a writable backend (a database) implements every method, while
// declarative sources use `readOnlyManagementStore`, which answers Flipt's read-only error.
// Methods are async because a real store does I/O. Every request's `namespaceKey` is already
// resolved (never empty) when it reaches the store.

export interface CreateNamespaceRequest {
  key: string;
  name: string;
  description: string;
}
export interface UpdateNamespaceRequest extends CreateNamespaceRequest {}
export interface DeleteNamespaceRequest {
  key: string;
  force: boolean;
}

export interface CreateFlagRequest {
  namespaceKey: string;
  key: string;
  name: string;
  description: string;
  enabled: boolean;
  type: FlagType;
  metadata?: FlagMetadata;
}
export interface UpdateFlagRequest {
  namespaceKey: string;
  key: string;
  name: string;
  description: string;
  enabled: boolean;
  defaultVariantId: string;
  metadata?: FlagMetadata;
}
export interface FlagRef {
  namespaceKey: string;
  key: string;
}

export interface CreateVariantRequest {
  namespaceKey: string;
  flagKey: string;
  key: string;
  name: string;
  description: string;
  attachment: string;
}
export interface UpdateVariantRequest extends CreateVariantRequest {
  id: string;
}
export interface FlagChildRef {
  namespaceKey: string;
  flagKey: string;
  id: string;
}

export interface CreateSegmentRequest {
  namespaceKey: string;
  key: string;
  name: string;
  description: string;
  matchType: MatchType;
}
export interface UpdateSegmentRequest extends CreateSegmentRequest {}
export interface SegmentRef {
  namespaceKey: string;
  key: string;
}

export interface CreateConstraintRequest {
  namespaceKey: string;
  segmentKey: string;
  type: ComparisonType;
  property: string;
  operator: string;
  value: string;
  description: string;
}
export interface UpdateConstraintRequest extends CreateConstraintRequest {
  id: string;
}
export interface ConstraintRef {
  namespaceKey: string;
  segmentKey: string;
  id: string;
}

export interface CreateRuleRequest {
  namespaceKey: string;
  flagKey: string;
  segmentKey: string;
  segmentKeys: string[];
  segmentOperator: SegmentOperator;
  rank: number;
}
export interface UpdateRuleRequest {
  namespaceKey: string;
  flagKey: string;
  id: string;
  segmentKey: string;
  segmentKeys: string[];
  segmentOperator: SegmentOperator;
}
export interface OrderRulesRequest {
  namespaceKey: string;
  flagKey: string;
  ruleIds: string[];
}

export interface CreateDistributionRequest {
  namespaceKey: string;
  flagKey: string;
  ruleId: string;
  variantId: string;
  rollout: number;
}
export interface UpdateDistributionRequest extends CreateDistributionRequest {
  id: string;
}
export interface DeleteDistributionRequest {
  namespaceKey: string;
  flagKey: string;
  ruleId: string;
  id: string;
  variantId: string;
}

export interface RolloutBody {
  description: string;
  segment?: { segmentKey: string; segmentKeys: string[]; segmentOperator: SegmentOperator; value: boolean };
  threshold?: { percentage: number; value: boolean };
}
export interface CreateRolloutRequest extends RolloutBody {
  namespaceKey: string;
  flagKey: string;
  rank: number;
}
export interface UpdateRolloutRequest extends RolloutBody {
  namespaceKey: string;
  flagKey: string;
  id: string;
}
export interface OrderRolloutsRequest {
  namespaceKey: string;
  flagKey: string;
  rolloutIds: string[];
}

export interface ManagementStore {
  /** False for declarative sources: every method then rejects with the read-only error. */
  readonly writable: boolean;

  createNamespace(request: CreateNamespaceRequest): Promise<Namespace>;
  updateNamespace(request: UpdateNamespaceRequest): Promise<Namespace>;
  deleteNamespace(request: DeleteNamespaceRequest): Promise<void>;

  createFlag(request: CreateFlagRequest): Promise<Flag>;
  updateFlag(request: UpdateFlagRequest): Promise<Flag>;
  deleteFlag(request: FlagRef): Promise<void>;

  createVariant(request: CreateVariantRequest): Promise<Variant>;
  updateVariant(request: UpdateVariantRequest): Promise<Variant>;
  deleteVariant(request: FlagChildRef): Promise<void>;

  createSegment(request: CreateSegmentRequest): Promise<Segment>;
  updateSegment(request: UpdateSegmentRequest): Promise<Segment>;
  deleteSegment(request: SegmentRef): Promise<void>;

  createConstraint(request: CreateConstraintRequest): Promise<Constraint>;
  updateConstraint(request: UpdateConstraintRequest): Promise<Constraint>;
  deleteConstraint(request: ConstraintRef): Promise<void>;

  createRule(request: CreateRuleRequest): Promise<Rule>;
  updateRule(request: UpdateRuleRequest): Promise<Rule>;
  deleteRule(request: FlagChildRef): Promise<void>;
  orderRules(request: OrderRulesRequest): Promise<void>;

  createDistribution(request: CreateDistributionRequest): Promise<Distribution>;
  updateDistribution(request: UpdateDistributionRequest): Promise<Distribution>;
  deleteDistribution(request: DeleteDistributionRequest): Promise<void>;

  createRollout(request: CreateRolloutRequest): Promise<Rollout>;
  updateRollout(request: UpdateRolloutRequest): Promise<Rollout>;
  deleteRollout(request: FlagChildRef): Promise<void>;
  orderRollouts(request: OrderRolloutsRequest): Promise<void>;
}

/** The names of every write operation, for transports that route generically. */
export type ManagementOperation = Exclude<keyof ManagementStore, 'writable'>;

const reject = (): Promise<never> => Promise.reject(readOnly());

/** What declarative (read-only) sources expose: every write is Flipt's read-only error. */
export const readOnlyManagementStore: ManagementStore = {
  writable: false,
  createNamespace: reject,
  updateNamespace: reject,
  deleteNamespace: reject,
  createFlag: reject,
  updateFlag: reject,
  deleteFlag: reject,
  createVariant: reject,
  updateVariant: reject,
  deleteVariant: reject,
  createSegment: reject,
  updateSegment: reject,
  deleteSegment: reject,
  createConstraint: reject,
  updateConstraint: reject,
  deleteConstraint: reject,
  createRule: reject,
  updateRule: reject,
  deleteRule: reject,
  orderRules: reject,
  createDistribution: reject,
  updateDistribution: reject,
  deleteDistribution: reject,
  createRollout: reject,
  updateRollout: reject,
  deleteRollout: reject,
  orderRollouts: reject,
};
