import { EnsignError } from '@ensign/core';

// Flipt's `flipt.auth.Authentication`: who a request is, as the auth API reports it and as
// services and policies see it (spec §3.4). Timestamps are RFC 3339 strings.

export type AuthMethod =
  | 'METHOD_NONE'
  | 'METHOD_TOKEN'
  | 'METHOD_OIDC'
  | 'METHOD_KUBERNETES'
  | 'METHOD_GITHUB'
  | 'METHOD_JWT'
  | 'METHOD_CLOUD';

/** Protobuf enum numbers, for storage and the gRPC enum. */
export const METHOD_NUMBERS: Readonly<Record<AuthMethod, number>> = {
  METHOD_NONE: 0,
  METHOD_TOKEN: 1,
  METHOD_OIDC: 2,
  METHOD_KUBERNETES: 3,
  METHOD_GITHUB: 4,
  METHOD_JWT: 5,
  METHOD_CLOUD: 6,
};

export function methodOfNumber(n: number): AuthMethod {
  const found = Object.entries(METHOD_NUMBERS).find(([, v]) => v === n);
  return (found?.[0] as AuthMethod | undefined) ?? 'METHOD_NONE';
}

export interface Authentication {
  id: string;
  method: AuthMethod;
  expiresAt?: string;
  createdAt: string;
  updatedAt: string;
  metadata: Record<string, string>;
}

/** Metadata keys Flipt writes on tokens (spec §7.2). */
export const TOKEN_NAME = 'io.flipt.auth.token.name';
export const TOKEN_DESCRIPTION = 'io.flipt.auth.token.description';
export const TOKEN_NAMESPACE = 'io.flipt.auth.token.namespace';

/** The namespace a token is confined to, if any. */
export function scopedNamespace(auth: Authentication): string | undefined {
  return auth.metadata[TOKEN_NAMESPACE] || undefined;
}

export function isExpired(auth: Authentication, now = Date.now()): boolean {
  return auth.expiresAt !== undefined && Date.parse(auth.expiresAt) <= now;
}

/** Flipt's one answer for every credential problem, so a caller learns nothing from the reason. */
export const unauthenticated = (): EnsignError =>
  new EnsignError('unauthenticated', 'request was not authenticated');

export const permissionDenied = (): EnsignError => new EnsignError('permission_denied', 'permission denied');
