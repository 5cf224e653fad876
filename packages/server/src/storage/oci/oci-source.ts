import { formatBundleReference, parseBundleReference } from '../../config/storage/bundle-reference.ts';
import type { OciSettings } from '../../config/storage/oci.ts';
import type { Logger } from '../../observability/logger.ts';
import type { SnapshotSource } from '../contract.ts';
import { createTreeSource } from '../declarative/tree-source.ts';
import { OciTree } from './oci-tree.ts';
import { storeFor } from './stores.ts';

/** Follows a tag of a Flipt bundle in a registry or the local bundle store (`storage.type: oci`). */
export function createOciSource(
  settings: OciSettings,
  logger: Logger,
  options: { watch: boolean },
): SnapshotSource {
  const ref = parseBundleReference(settings.repository);
  const store = storeFor(ref, settings);
  const tree = new OciTree(store, ref.tag, formatBundleReference(ref));
  return createTreeSource(
    { type: 'oci', tree, policy: { pollIntervalMs: settings.pollIntervalMs }, watch: options.watch },
    logger,
  );
}
