import { AsyncLocalStorage } from 'node:async_hooks';
import { type Authentication, scopedNamespace, unauthenticated } from './authentication.ts';

// The identity a transport's gate established, carried to the services across every await of
// the request without threading a parameter through four transports' handler signatures.
// Absent when authentication is off or the surface is excluded: then nothing is restricted.

const current = new AsyncLocalStorage<Authentication>();

export function runAs<T>(identity: Authentication | undefined, fn: () => T): T {
  return identity === undefined ? fn() : current.run(identity, fn);
}

export function currentIdentity(): Authentication | undefined {
  return current.getStore();
}

/**
 * A namespace-scoped token may act only in its own namespace (empty means `default`). Flipt
 * answers a mismatch as unauthenticated; so do we.
 */
export function requireNamespaceAccess(namespaceKey: string | undefined): void {
  const identity = current.getStore();
  if (identity === undefined) return;
  const scope = scopedNamespace(identity);
  if (scope !== undefined && scope !== (namespaceKey || 'default')) throw unauthenticated();
}
