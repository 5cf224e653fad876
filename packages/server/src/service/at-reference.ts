import type { Snapshot } from '@ensign/core';
import type { SnapshotSource } from '../storage/contract.ts';
import { createServices, type ServiceDeps, type Services } from './index.ts';

/** The services for a request, given its `reference` (flipt-v1.md §2.6). */
export type ServicesAt = (reference: string | undefined) => Services | Promise<Services>;

/**
 * Requests naming a `reference` (a git branch, tag or commit) are answered from the snapshot
 * at that reference, through the same services pinned to it. Sources without references (SQL,
 * local, OCI, object) ignore it, as Flipt does.
 */
export function servicesAtReference(deps: ServiceDeps, services: Services): ServicesAt {
  const { source } = deps;
  const at = source.at;
  if (!at) return () => services;
  const pinned = new WeakMap<Snapshot, Services>();
  return (reference) => {
    if (!reference) return services;
    return at.call(source, reference).then((snapshot) => {
      let forSnapshot = pinned.get(snapshot);
      if (!forSnapshot) {
        forSnapshot = createServices({ ...deps, source: pinnedTo(source, snapshot) });
        pinned.set(snapshot, forSnapshot);
      }
      return forSnapshot;
    });
  };
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
