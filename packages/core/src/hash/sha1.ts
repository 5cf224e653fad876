import { sha1 } from '@noble/hashes/legacy.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

// ETags must be Flipt's (lowercase hex SHA-1) and the core must run where node:crypto does not
// exist, so SHA-1 comes from a maintained pure-JS implementation. Not used for security.

export function sha1Hex(text: string): string {
  return bytesToHex(sha1(utf8ToBytes(text)));
}
