import type { Snapshot } from '@ensign/core';
import type { SnapshotSource } from '../storage/contract.ts';
import { createServices, type ServiceDeps, type Services } from './index.ts';

/** The services for a request, given its `reference` (flipt-v1.md §2.6). */
export type ServicesAt = (reference: string | undefined) => Services | Promise<Services>;

/**
 * Requests naming a `reference` (a git branch, tag or commit) are answered from the snapshot
 * at that reference, through the same services pinned to it. Sources without references (SQL,
 * local, OCI, object) ignore it, as Flipt does. `wrap` (the authorization guard) is applied to
 * every set handed out, pinned or not, so no transport can bypass it by naming a reference.
 */
export function servicesAtReference(
  deps: ServiceDeps,
  services: Services,
  wrap: (services: Services) => Services = (unwrapped) => unwrapped,
): ServicesAt {
  const { source } = deps;
  const served = wrap(services);
  const at = source.at;
  if (!at) return () => served;
  const pinned = new WeakMap<Snapshot, Services>();
  return (reference) => {
    // No promise for the common case: the evaluation hot path stays synchronous.
    if (!reference) return served;
    return at.call(source, reference).then((snapshot) => {
      let forSnapshot = pinned.get(snapshot);
      if (!forSnapshot) {
        forSnapshot = wrap(createServices({ ...deps, source: pinnedTo(source, snapshot) }));
        pinned.set(snapshot, forSnapshot);
      }
      return forSnapshot;
    });
  };
}

/** Runs `use` on the services at `reference`, synchronously when it names none. */
export function atReference<T>(
  servicesAt: ServicesAt,
  reference: string | undefined,
  use: (services: Services) => T,
): T | Promise<T> {
  const services = servicesAt(reference);
  return services instanceof Promise ? services.then(use) : use(services);
}

function pinnedTo(source: SnapshotSource, snapshot: Snapshot): SnapshotSource {
  return {
    type: source.type,
    readOnly: true,
    start: async () => {},
    close: async () => {},
    current: () => snapshot,
    status: () => source.status(),
    onChange: () => () => {},
  };
}
