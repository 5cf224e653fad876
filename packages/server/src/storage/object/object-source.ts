import type { ObjectSettings } from '../../config/storage/object.ts';
import type { Logger } from '../../observability/logger.ts';
import type { SnapshotSource } from '../contract.ts';
import { createTreeSource } from '../declarative/tree-source.ts';
import type { ObjectStore } from './object-store.ts';
import { ObjectTree } from './object-tree.ts';

/** Follows a bucket (`storage.type: object`); only the configured vendor's SDK is loaded. */
export async function createObjectSource(
  settings: ObjectSettings,
  logger: Logger,
  options: { watch: boolean },
): Promise<SnapshotSource> {
  const { store, pollIntervalMs } = await vendorStore(settings);
  return createTreeSource(
    { type: 'object', tree: new ObjectTree(store), policy: { pollIntervalMs }, watch: options.watch },
    logger,
  );
}

async function vendorStore(
  settings: ObjectSettings,
): Promise<{ store: ObjectStore; pollIntervalMs: number }> {
  switch (settings.type) {
    case 's3': {
      const { s3Store } = await import('./s3-store.ts');
      return { store: s3Store(settings.s3), pollIntervalMs: settings.s3.pollIntervalMs };
    }
    case 'azblob': {
      const { azureBlobStore } = await import('./azblob-store.ts');
      return { store: azureBlobStore(settings.azblob), pollIntervalMs: settings.azblob.pollIntervalMs };
    }
    case 'googlecloud': {
      const { googleCloudStore } = await import('./gcs-store.ts');
      return {
        store: googleCloudStore(settings.googlecloud),
        pollIntervalMs: settings.googlecloud.pollIntervalMs,
      };
    }
    default:
      throw new Error('storage.object.type is not set');
  }
}
