import type { Authentication, AuthMethod } from './authentication.ts';

// Where authentications live. The token itself is never kept: lookups go by its hash.

export interface NewAuthentication {
  method: AuthMethod;
  metadata: Record<string, string>;
  expiresAt?: string;
  /** Use this token (the configured bootstrap token) instead of a fresh random one. */
  clientToken?: string;
}

export interface AuthenticationPage {
  authentications: Authentication[];
  nextPageToken: string;
}

export interface AuthStore {
  create(input: NewAuthentication): Promise<{ clientToken: string; authentication: Authentication }>;
  byClientToken(clientToken: string): Promise<Authentication | undefined>;
  get(id: string): Promise<Authentication | undefined>;
  list(request: { method?: AuthMethod; limit: number; pageToken: string }): Promise<AuthenticationPage>;
  /** False when no such authentication exists. */
  delete(id: string): Promise<boolean>;
  expire(id: string, at: string): Promise<void>;
  count(method: AuthMethod): Promise<number>;
  /** Deletes authentications of `method` that expired before `before`; returns how many. */
  deleteExpired(method: AuthMethod, before: string): Promise<number>;
  close(): Promise<void>;
}
