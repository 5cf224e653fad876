import type { Auditor } from '../audit/auditor.ts';
import { kindOfWrite } from '../audit/event.ts';
import type { ManagementOperation, ManagementStore, Services } from '../service/index.ts';
import { paginate } from '../service/paging.ts';
import { readOnlyManagementStore } from '../storage/management-store.ts';
import { type Access, accessOfWrite } from './access.ts';

// The service layer's gate: every call is described as an Access and checked against the
// request's identity before the service runs, so REST, gRPC and both fast paths get the same
// answer. `check` throws (unauthenticated, permission denied) or returns.

export type AccessCheck = (access: Access) => void;

const read = (namespace: string | undefined, resource: Access['resource'], subject: Access['subject']) =>
  ({ namespace: namespace || 'default', resource, subject, action: 'read' }) as Access;

const evaluate = (namespace: string | undefined): Access => ({
  namespace: namespace || 'default',
  resource: 'flag',
  subject: 'flag',
  action: 'read',
  evaluation: true,
});

/** The namespaces the caller may see in ListNamespaces ('any' when nothing restricts it). */
export type ViewableNamespaces = () => ReadonlySet<string> | 'any';

export function guardServices(
  services: Services,
  check: AccessCheck,
  viewable: ViewableNamespaces,
  auditor?: Auditor,
): Services {
  const { evaluation, legacyEvaluation, read: reads, clientSnapshot, ofrep, management } = services;
  const guardedStore = { writable: management.writable } as Record<string, unknown>;
  // The read-only store lists every operation as an own property; a real store may keep its
  // methods on a prototype.
  for (const op of Object.keys(readOnlyManagementStore) as Array<ManagementOperation | 'writable'>) {
    if (op === 'writable') continue;
    const fn = management[op] as unknown as (request: Record<string, unknown>) => Promise<unknown>;
    guardedStore[op] = (request: Record<string, unknown>) => {
      const ns = (request['namespaceKey'] ?? request['key']) as string;
      try {
        check(accessOfWrite(op, ns || 'default'));
      } catch (error) {
        return Promise.reject(error);
      }
      const done = fn.call(management, request);
      if (!auditor) return done;
      const { type, action } = kindOfWrite(op);
      // Recorded once the write succeeded; the payload is the request, as in Flipt.
      return done.then((result) => {
        auditor.record(type, action, request);
        return result;
      });
    };
  }
  /** `fn`, after checking the access its arguments describe. */
  const checked =
    <A extends unknown[], R>(describe: (...args: A) => Access, fn: (...args: A) => R) =>
    (...args: A): R => {
      check(describe(...args));
      return fn(...args);
    };
  return {
    evaluation: {
      variant: checked((r) => evaluate(r.namespaceKey), evaluation.variant),
      boolean: checked((r) => evaluate(r.namespaceKey), evaluation.boolean),
      batch(r) {
        // One foreign item rejects the whole batch: its answer would say whether the flag exists.
        for (const inner of r.requests) check(evaluate(inner.namespaceKey));
        return evaluation.batch(r);
      },
    },
    legacyEvaluation: {
      evaluate: checked((r) => evaluate(r.namespaceKey), legacyEvaluation.evaluate),
      batchEvaluate(r) {
        check(evaluate(r.namespaceKey));
        for (const inner of r.requests) check(evaluate(inner.namespaceKey || r.namespaceKey));
        return legacyEvaluation.batchEvaluate(r);
      },
    },
    read: {
      listNamespaces(request) {
        check({ namespace: undefined, resource: 'namespace', subject: 'namespace', action: 'read' });
        const visible = viewable();
        if (visible === 'any') return reads.listNamespaces(request);
        // Filtered before paging, so pages and totals count only what the caller may see.
        const all = reads.listNamespaces({}).namespaces.filter((ns) => visible.has(ns.key));
        const page = paginate(all, request);
        return { namespaces: page.items, nextPageToken: page.nextPageToken, totalCount: page.totalCount };
      },
      getNamespace: checked((key) => read(key, 'namespace', 'namespace'), reads.getNamespace),
      listFlags: checked((r) => read(r.namespaceKey, 'flag', 'flag'), reads.listFlags),
      getFlag: checked((ns) => read(ns, 'flag', 'flag'), reads.getFlag),
      listSegments: checked((r) => read(r.namespaceKey, 'segment', 'segment'), reads.listSegments),
      getSegment: checked((ns) => read(ns, 'segment', 'segment'), reads.getSegment),
      listRules: checked((r) => read(r.namespaceKey, 'flag', 'rule'), reads.listRules),
      getRule: checked((ns) => read(ns, 'flag', 'rule'), reads.getRule),
      listRollouts: checked((r) => read(r.namespaceKey, 'flag', 'rollout'), reads.listRollouts),
      getRollout: checked((ns) => read(ns, 'flag', 'rollout'), reads.getRollout),
    },
    management: guardedStore as unknown as ManagementStore,
    clientSnapshot: { get: checked((r) => evaluate(r.key), clientSnapshot.get) },
    ofrep: {
      evaluateFlag: checked((ns) => evaluate(ns), ofrep.evaluateFlag),
      evaluateBulk: checked((ns) => evaluate(ns), ofrep.evaluateBulk),
      configuration: () => ofrep.configuration(),
    },
  };
}
