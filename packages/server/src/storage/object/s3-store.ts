import { GetObjectCommand, ListObjectsV2Command, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import type { ObjectStore } from './object-store.ts';

export interface S3Options {
  bucket: string;
  prefix: string;
  region: string;
  /** A self-hosted endpoint (MinIO, s3rver, ...): addressed path-style. */
  endpoint: string;
}

/** S3 through AWS's SDK, so its credential chain (env, profile, instance role) applies. */
export function s3Store(options: S3Options): ObjectStore {
  const client = new S3Client({
    ...(options.region ? { region: options.region } : { region: 'us-east-1' }),
    ...(options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true } : {}),
    requestHandler: { requestTimeout: 20_000, connectionTimeout: 10_000 },
    maxAttempts: 2,
  });
  const prefix = normalisePrefix(options.prefix);
  return {
    location: `s3://${options.bucket}/${prefix}`,
    async list() {
      const objects: { key: string; etag: string }[] = [];
      let token: string | undefined;
      do {
        const page = await client.send(
          new ListObjectsV2Command({
            Bucket: options.bucket,
            ...(prefix ? { Prefix: prefix } : {}),
            ...(token ? { ContinuationToken: token } : {}),
          }),
        );
        for (const object of page.Contents ?? []) {
          if (!object.Key || object.Key.endsWith('/')) continue;
          objects.push({ key: object.Key.slice(prefix.length), etag: object.ETag ?? '' });
        }
        token = page.IsTruncated ? page.NextContinuationToken : undefined;
      } while (token);
      return objects;
    },
    async read(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: options.bucket, Key: prefix + key }));
        return await object.Body?.transformToString('utf8');
      } catch (error) {
        if (error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },
  };
}

/** `flags` and `flags/` both mean the folder `flags/`. */
export function normalisePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+/, '');
  return trimmed === '' || trimmed.endsWith('/') ? trimmed : `${trimmed}/`;
}
