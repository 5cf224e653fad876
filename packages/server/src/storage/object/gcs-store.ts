import { Storage } from '@google-cloud/storage';
import type { ObjectStore } from './object-store.ts';
import { normalisePrefix } from './s3-store.ts';

export interface GoogleCloudOptions {
  bucket: string;
  prefix: string;
}

/**
 * Google Cloud Storage through Google's SDK, so Application Default Credentials apply (and
 * STORAGE_EMULATOR_HOST, for an emulator).
 */
export function googleCloudStore(options: GoogleCloudOptions): ObjectStore {
  const bucket = new Storage({ retryOptions: { maxRetries: 1, totalTimeout: 20 } }).bucket(options.bucket);
  const prefix = normalisePrefix(options.prefix);
  return {
    location: `gs://${options.bucket}/${prefix}`,
    async list() {
      const [files] = await bucket.getFiles({ ...(prefix ? { prefix } : {}), autoPaginate: true });
      return files
        .filter((file) => !file.name.endsWith('/'))
        .map((file) => ({ key: file.name.slice(prefix.length), etag: String(file.metadata.etag ?? '') }));
    },
    async read(key) {
      try {
        const [content] = await bucket.file(prefix + key).download();
        return content.toString('utf8');
      } catch (error) {
        if ((error as { code?: number }).code === 404) return undefined;
        throw error;
      }
    },
  };
}
