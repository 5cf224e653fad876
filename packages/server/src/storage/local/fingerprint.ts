import { createHash } from 'node:crypto';
import type { FeatureDirectory } from './read-directory.ts';

/**
 * Identifies what a snapshot would be built from. Polls and duplicate file events produce the
 * same fingerprint, so they cost a directory read but never a rebuild or a new ETag.
 */
export function fingerprintOf(directory: FeatureDirectory): string {
  const hash = createHash('sha256');
  hash.update(
    directory.indexContent === undefined ? '\u0000no-index' : `index\u0000${directory.indexContent}`,
  );
  // Each file's text goes in as it is: joined to its header first, a whole file would be copied
  // into one more flat string (hundreds of KB per poll, for the same digest).
  for (const file of directory.files) {
    hash.update(`\u0000${file.path}\u0000${file.content.length}\u0000`);
    hash.update(file.content);
  }
  return hash.digest('hex');
}
