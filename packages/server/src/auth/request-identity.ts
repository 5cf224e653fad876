import { AsyncLocalStorage } from 'node:async_hooks';
import { type Authentication, scopedNamespace, unauthenticated } from './authentication.ts';

// Who is calling, as the transport's gate established it, carried to the services across every
// await of the request without threading a parameter through four transports' handler
// signatures. `identity` is absent when authentication is off or the surface is excluded: then
// nothing is restricted. `ip` names the actor in audit events.

export interface Caller {
  identity: Authentication | undefined;
  ip: string;
}

const current = new AsyncLocalStorage<Caller>();

export function runAs<T>(caller: Caller, fn: () => T): T {
  return current.run(caller, fn);
}

export function currentCaller(): Caller | undefined {
  return current.getStore();
}

export function currentIdentity(): Authentication | undefined {
  return current.getStore()?.identity;
}

/** The client's address: the first X-Forwarded-For hop when a proxy sent one, else the peer's. */
export function clientIp(forwardedFor: string | undefined, peer: string | undefined): string {
  const first = forwardedFor?.split(',')[0]?.trim();
  return first || peer || '';
}

/**
 * A namespace-scoped token may act only in its own namespace (empty means `default`). Flipt
 * answers a mismatch as unauthenticated; so do we.
 */
export function requireNamespaceAccess(namespaceKey: string | undefined): void {
  const identity = currentIdentity();
  if (identity === undefined) return;
  const scope = scopedNamespace(identity);
  if (scope !== undefined && scope !== (namespaceKey || 'default')) throw unauthenticated();
}
