// Flipt's OCI bundle format (flipt-v1.md §5.6), and the OCI types it is built from.

/** The artifact type (manifest 1.1) or config media type (manifest 1.0) of a Flipt bundle. */
export const FLIPT_ARTIFACT_TYPE = 'application/vnd.io.flipt.features.v1';
/** Each layer is one feature document; a `+json` or `+yaml` suffix names its encoding. */
export const FLIPT_NAMESPACE_LAYER = 'application/vnd.io.flipt.features.namespace.v1';
/** The layer annotation carrying the namespace key. */
export const NAMESPACE_ANNOTATION = 'io.flipt.features.namespace';

export const OCI_MANIFEST = 'application/vnd.oci.image.manifest.v1+json';
export const OCI_INDEX = 'application/vnd.oci.image.index.v1+json';
export const OCI_EMPTY = 'application/vnd.oci.empty.v1+json';
export const CREATED_ANNOTATION = 'org.opencontainers.image.created';
export const REF_NAME_ANNOTATION = 'org.opencontainers.image.ref.name';

export interface Descriptor {
  mediaType: string;
  digest: string;
  size: number;
  annotations?: Record<string, string>;
  artifactType?: string;
  data?: string;
}

export interface ImageManifest {
  schemaVersion: 2;
  mediaType?: string;
  artifactType?: string;
  config: Descriptor;
  layers: Descriptor[];
  annotations?: Record<string, string>;
}
