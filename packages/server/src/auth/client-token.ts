import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

// Client tokens are 32 random bytes, base64url: unguessable, so one SHA-256 (not a slow password
// hash) is enough to keep them useless to whoever reads the database.

export function newClientToken(): string {
  return randomBytes(32).toString('base64url');
}

export function hashClientToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Compares two hashes without an early exit, so timing says nothing about how much matched. */
export function sameHash(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
