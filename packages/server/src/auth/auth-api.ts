import { EnsignError, invalidArgument } from '@ensign/core';
import type { Auditor } from '../audit/auditor.ts';
import type { AuthenticationConfig } from '../config/types.ts';
import {
  type Authentication,
  type AuthMethod,
  TOKEN_DESCRIPTION,
  TOKEN_NAME,
  TOKEN_NAMESPACE,
  unauthenticated,
} from './authentication.ts';
import type { AuthGate } from './gate.ts';
import type { AccessCheck } from './guarded-services.ts';
import { currentIdentity } from './request-identity.ts';
import { loginMetadata } from './session-login.ts';
import type { AuthenticationPage, AuthStore } from './store.ts';

// flipt.auth's services, transport-independent: method listing, self, token management and
// token creation (spec §3.2–§3.4). REST and gRPC both call these.

export interface MethodInfo {
  method: AuthMethod;
  enabled: boolean;
  sessionCompatible: boolean;
  metadata?: Record<string, unknown>;
}

export interface CreateTokenRequest {
  name: string;
  description: string;
  expiresAt?: string;
  namespaceKey: string;
  metadata: Record<string, string>;
}

export interface AuthApi {
  listMethods(): { methods: MethodInfo[] };
  self(): Authentication;
  expireSelf(expiresAt: string | undefined): Promise<void>;
  get(id: string): Promise<Authentication>;
  list(request: { method?: AuthMethod; limit: number; pageToken: string }): Promise<AuthenticationPage>;
  delete(id: string): Promise<void>;
  createToken(request: CreateTokenRequest): Promise<{ clientToken: string; authentication: Authentication }>;
}

/** RFC 3339 in, the store's canonical form (ISO with milliseconds) out. */
export function canonicalTime(field: string, text: string): string {
  const ms = Date.parse(text);
  if (!/^\d{4}-\d\d-\d\dT/.test(text) || Number.isNaN(ms))
    throw invalidArgument(`invalid field ${field}: not an RFC 3339 timestamp`);
  return new Date(ms).toISOString();
}

const token = (action: 'create' | 'read' | 'update' | 'delete') =>
  ({ namespace: undefined, resource: 'authentication', subject: 'token', action }) as const;

/** Only the token method stores authentications; without it there is nothing to list or delete. */
const NO_STORE: Pick<AuthStore, 'get' | 'list' | 'delete' | 'expire' | 'create'> = {
  get: async () => undefined,
  list: async () => ({ authentications: [], nextPageToken: '' }),
  delete: async () => false,
  expire: async () => {
    throw invalidArgument('only stored authentications (tokens) can be expired');
  },
  create: async () => {
    throw invalidArgument('the token method is not enabled');
  },
};

export function createAuthApi(
  config: AuthenticationConfig,
  stored: AuthStore | undefined,
  gate: AuthGate,
  check: AccessCheck,
  auditor?: Auditor,
): AuthApi {
  const store = stored ?? NO_STORE;
  const self = (): Authentication => {
    const identity = currentIdentity();
    if (!identity) throw unauthenticated();
    return identity;
  };
  return {
    listMethods: () => ({
      methods: (
        ['METHOD_TOKEN', 'METHOD_GITHUB', 'METHOD_OIDC', 'METHOD_KUBERNETES', 'METHOD_JWT'] as const
      ).map((method) => {
        const metadata = loginMetadata(config, method);
        return {
          method,
          enabled:
            (method === 'METHOD_TOKEN' && config.methods.token.enabled) ||
            (method === 'METHOD_JWT' && config.methods.jwt.enabled) ||
            (method === 'METHOD_OIDC' && config.methods.oidc.enabled) ||
            (method === 'METHOD_GITHUB' && config.methods.github.enabled) ||
            (method === 'METHOD_KUBERNETES' && config.methods.kubernetes.enabled),
          sessionCompatible: method === 'METHOD_GITHUB' || method === 'METHOD_OIDC',
          ...(metadata ? { metadata } : {}),
        };
      }),
    }),
    self,
    async expireSelf(expiresAt) {
      const identity = self();
      await store.expire(
        identity.id,
        expiresAt ? canonicalTime('expiresAt', expiresAt) : new Date().toISOString(),
      );
      gate.forget();
    },
    async get(id) {
      check(token('read'));
      const auth = await store.get(id);
      if (!auth) throw new EnsignError('not_found', `authentication "${id}" not found`);
      return auth;
    },
    list(request) {
      check(token('read'));
      return store.list(request);
    },
    async delete(id) {
      check(token('delete'));
      if (!(await store.delete(id))) throw new EnsignError('not_found', `authentication "${id}" not found`);
      gate.forget();
      auditor?.record('token', 'deleted', { id });
    },
    async createToken(request) {
      check(token('create'));
      const metadata: Record<string, string> = { ...request.metadata, [TOKEN_NAME]: request.name };
      if (request.description) metadata[TOKEN_DESCRIPTION] = request.description;
      if (request.namespaceKey) metadata[TOKEN_NAMESPACE] = request.namespaceKey;
      const created = await store.create({
        method: 'METHOD_TOKEN',
        metadata,
        ...(request.expiresAt ? { expiresAt: canonicalTime('expiresAt', request.expiresAt) } : {}),
      });
      auditor?.record('token', 'created', request);
      return created;
    },
  };
}
