import { createPublicKey, type KeyObject } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRemoteJWKSet, type JWTPayload, jwtVerify } from 'jose';
import type { AuthenticationConfig } from '../config/types.ts';
import { type Authentication, unauthenticated } from './authentication.ts';

// The JWT method (`Authorization: JWT <jwt>`): signature checked against a JWKS endpoint (keys
// cached, fetched again when a token names an unknown key) or a PEM public key; exp/nbf checked;
// the configured issuer, subject and audiences enforced; claims copied into metadata as Flipt does.

export type JwtConfig = AuthenticationConfig['methods']['jwt'];

/** The algorithms Flipt accepts. */
export const JWT_ALGORITHMS = ['RS256', 'RS512', 'ES256', 'ES512', 'EdDSA'];
/** Flipt's JWT validator allows this much clock skew. */
const CLOCK_TOLERANCE_S = 150;
// At most one JWKS fetch per second, however many unknown key ids arrive.
const JWKS_COOLDOWN_MS = 1_000;
const JWKS_TIMEOUT_MS = 5_000;

export type JwtVerifier = (token: string) => Promise<Authentication>;

/** Flipt's mapping: `io.flipt.auth*` claims verbatim, `iss`, and the `user` claim's fields. */
export function metadataOfClaims(claims: JWTPayload): Record<string, string> {
  const metadata: Record<string, string> = {};
  const text = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));
  for (const [key, value] of Object.entries(claims)) {
    if (key.startsWith('io.flipt.auth')) metadata[key] = text(value);
    else if (key === 'iss' && typeof value === 'string') metadata['io.flipt.auth.jwt.issuer'] = value;
  }
  const user = claims['user'];
  if (typeof user === 'object' && user !== null && !Array.isArray(user)) {
    const fields = user as Record<string, unknown>;
    for (const [claim, key] of [
      ['email', 'email'],
      ['sub', 'sub'],
      ['image', 'picture'],
      ['name', 'name'],
      ['role', 'role'],
    ] as const) {
      if (fields[claim] !== undefined) metadata[`io.flipt.auth.jwt.${key}`] = text(fields[claim]);
    }
  }
  return metadata;
}

function publicKeyOf(path: string): KeyObject {
  try {
    return createPublicKey(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new Error(
      `authentication.methods.jwt.public_key_file ${JSON.stringify(path)}: ${(error as Error).message}`,
    );
  }
}

export function createJwtVerifier(config: JwtConfig): JwtVerifier {
  const key = config.jwksUrl
    ? createRemoteJWKSet(new URL(config.jwksUrl), {
        cooldownDuration: JWKS_COOLDOWN_MS,
        timeoutDuration: JWKS_TIMEOUT_MS,
      })
    : publicKeyOf(config.publicKeyFile);
  const { issuer, subject, audiences } = config.validateClaims;
  const options = {
    algorithms: JWT_ALGORITHMS,
    clockTolerance: CLOCK_TOLERANCE_S,
    ...(issuer ? { issuer } : {}),
    ...(subject ? { subject } : {}),
    ...(audiences.length > 0 ? { audience: audiences } : {}),
  };
  return async (token) => {
    let payload: JWTPayload;
    try {
      payload = (
        typeof key === 'function'
          ? await jwtVerify(token, key, options)
          : await jwtVerify(token, key, options)
      ).payload;
    } catch {
      throw unauthenticated();
    }
    const now = new Date().toISOString();
    const auth: Authentication = {
      id: '',
      method: 'METHOD_JWT',
      createdAt: now,
      updatedAt: now,
      metadata: metadataOfClaims(payload),
    };
    // Kept for the gate's cache, which must not outlive the token.
    if (payload.exp !== undefined) auth.expiresAt = new Date(payload.exp * 1000).toISOString();
    return auth;
  };
}
