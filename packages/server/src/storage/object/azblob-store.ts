import { BlobServiceClient, StorageSharedKeyCredential } from '@azure/storage-blob';
import type { ObjectStore } from './object-store.ts';

export interface AzureBlobOptions {
  container: string;
  /** The account's blob endpoint, e.g. https://ACCOUNT.blob.core.windows.net (or Azurite's). */
  endpoint: string;
}

/**
 * Azure Blob Storage through Microsoft's SDK. Credentials come from the environment as Flipt
 * reads them: AZURE_STORAGE_CONNECTION_STRING, or AZURE_STORAGE_ACCOUNT with AZURE_STORAGE_KEY.
 */
export function azureBlobStore(options: AzureBlobOptions, env: NodeJS.ProcessEnv = process.env): ObjectStore {
  const service = serviceClient(options, env);
  const container = service.getContainerClient(options.container);
  return {
    location: `azblob://${options.container}`,
    async list() {
      const objects: { key: string; etag: string }[] = [];
      for await (const blob of container.listBlobsFlat()) {
        objects.push({ key: blob.name, etag: blob.properties.etag ?? '' });
      }
      return objects;
    },
    async read(key) {
      try {
        const buffer = await container.getBlobClient(key).downloadToBuffer(undefined, undefined, {
          abortSignal: AbortSignal.timeout(20_000),
        });
        return buffer.toString('utf8');
      } catch (error) {
        if ((error as { statusCode?: number }).statusCode === 404) return undefined;
        throw error;
      }
    },
  };
}

function serviceClient(options: AzureBlobOptions, env: NodeJS.ProcessEnv): BlobServiceClient {
  const retry = { maxTries: 2, tryTimeoutInMs: 20_000 };
  const connection = env['AZURE_STORAGE_CONNECTION_STRING'];
  if (connection && !options.endpoint)
    return BlobServiceClient.fromConnectionString(connection, { retryOptions: retry });
  const account = env['AZURE_STORAGE_ACCOUNT'];
  const key = env['AZURE_STORAGE_KEY'];
  const endpoint = options.endpoint || (account ? `https://${account}.blob.core.windows.net` : '');
  if (!endpoint) {
    throw new Error('storage.object.azblob needs an endpoint, or AZURE_STORAGE_ACCOUNT in the environment');
  }
  const credential = account && key ? new StorageSharedKeyCredential(account, key) : undefined;
  return new BlobServiceClient(endpoint, credential, { retryOptions: retry });
}
