/** One vendor's bucket, as the object tree needs it: a listing with ETags, and reads. */
export interface ObjectStore {
  /** `s3://bucket/prefix`, ... (no credentials). */
  readonly location: string;
  /** Every object under the configured prefix: key relative to the prefix, and its ETag. */
  list(): Promise<{ key: string; etag: string }[]>;
  /** An object's text by key relative to the prefix; undefined when it is gone. */
  read(key: string): Promise<string | undefined>;
}
