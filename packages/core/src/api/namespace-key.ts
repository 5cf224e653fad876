import { namespaceNotFound } from '../errors/index.ts';
import type { ServingNamespace } from './serving-snapshot.ts';

/** Flipt treats a missing or empty namespace key as `default`, in paths, bodies and headers. */
export function namespaceKeyOf(key: string | undefined | null): string {
  return key ? key : 'default';
}

/** The namespace or Flipt's `namespace "x" not found`. */
export function requireNamespace<N extends ServingNamespace>(
  snapshot: { namespace(key: string): N | undefined },
  key: string | undefined,
): N {
  const nsKey = namespaceKeyOf(key);
  const ns = snapshot.namespace(nsKey);
  if (!ns) throw namespaceNotFound(nsKey);
  return ns;
}
