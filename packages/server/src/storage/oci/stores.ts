import type { BundleReference } from '../../config/storage/bundle-reference.ts';
import type { OciSettings } from '../../config/storage/oci.ts';
import type { BlobStore } from './blob-store.ts';
import { ecrCredentials } from './ecr-credentials.ts';
import { LayoutStore } from './layout-store.ts';
import { RegistryClient } from './registry-client.ts';

/** The store a bundle reference points at: a registry, or the local bundles directory. */
export function storeFor(
  ref: BundleReference,
  options: Pick<OciSettings, 'bundlesDirectory' | 'authentication'>,
): BlobStore & { location: string } {
  if (ref.kind === 'local') return new LayoutStore(options.bundlesDirectory, ref.repository);
  const credentials = credentialsFor(ref.registry, options.authentication);
  return new RegistryClient({
    scheme: ref.scheme,
    registry: ref.registry,
    repository: ref.repository,
    ...(credentials ? { credentials } : {}),
  });
}

function credentialsFor(registry: string, authentication: OciSettings['authentication']) {
  if (authentication.type === 'aws-ecr') return ecrCredentials(registry);
  const { username, password } = authentication;
  return username || password ? { username, password } : undefined;
}
