// What a service call does, in the terms of Flipt's authorization input (spec §7.2):
// `request: {namespace, resource, subject, action}`. Every guarded service call describes
// itself this way once; namespace scoping and policies both decide on it.

export type Resource = 'namespace' | 'flag' | 'segment' | 'authentication';
export type Subject =
  | 'constraint'
  | 'distribution'
  | 'flag'
  | 'namespace'
  | 'rollout'
  | 'rule'
  | 'segment'
  | 'token'
  | 'variant';
export type Action = 'create' | 'update' | 'delete' | 'read';

export interface Access {
  /** Undefined for calls that span namespaces (ListNamespaces). */
  namespace: string | undefined;
  resource: Resource;
  subject: Subject;
  action: Action;
  /** Evaluation and OFREP: Flipt skips authorization for them, only authentication applies. */
  evaluation?: boolean;
}

const SUBJECT_RESOURCE: Readonly<Record<string, Resource>> = {
  namespace: 'namespace',
  flag: 'flag',
  variant: 'flag',
  rule: 'flag',
  distribution: 'flag',
  rollout: 'flag',
  segment: 'segment',
  constraint: 'segment',
};

/** `createVariant` → create a variant of a flag; `orderRules` → update rules. */
export function accessOfWrite(operation: string, namespace: string): Access {
  const match = /^(create|update|delete|order)([A-Z][a-z]+?)s?$/.exec(operation);
  if (!match) throw new Error(`not a write operation: ${operation}`);
  const subject = match[2]!.toLowerCase() as Subject;
  const action = match[1] === 'order' ? 'update' : (match[1] as Action);
  return { namespace, resource: SUBJECT_RESOURCE[subject] ?? 'flag', subject, action };
}
