import type { BundleReference } from '../../config/storage/bundle-reference.ts';
import type { BlobStore } from './blob-store.ts';
import { LayoutStore } from './layout-store.ts';
import { RegistryClient, type RegistryCredentials } from './registry-client.ts';

/** The store a bundle reference points at: a registry, or the local bundles directory. */
export function storeFor(
  ref: BundleReference,
  options: { bundlesDirectory: string; credentials?: RegistryCredentials },
): BlobStore & { location: string } {
  if (ref.kind === 'local') return new LayoutStore(options.bundlesDirectory, ref.repository);
  return new RegistryClient({
    scheme: ref.scheme,
    registry: ref.registry,
    repository: ref.repository,
    ...(options.credentials ? { credentials: options.credentials } : {}),
  });
}
