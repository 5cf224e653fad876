import { create } from '@bufbuild/protobuf';
import { timestampDate, timestampFromDate } from '@bufbuild/protobuf/wkt';
import type { ServiceImpl } from '@connectrpc/connect';
import { type Authentication, METHOD_NUMBERS, methodOfNumber } from '../auth/authentication.ts';
import type { AuthApi } from '../auth/index.ts';
import type { KubernetesMethod } from '../auth/kubernetes-method.ts';
import {
  type Authentication as AuthenticationMessage,
  type AuthenticationMethodKubernetesService,
  type AuthenticationMethodTokenService,
  AuthenticationSchema,
  type AuthenticationService,
  type Method,
  type PublicAuthenticationService,
} from './gen/flipt/auth/auth_pb.js';

// flipt.auth over the same auth API as /auth/v1.

export function messageOf(auth: Authentication): AuthenticationMessage {
  return create(AuthenticationSchema, {
    id: auth.id,
    method: METHOD_NUMBERS[auth.method] as Method,
    createdAt: timestampFromDate(new Date(auth.createdAt)),
    updatedAt: timestampFromDate(new Date(auth.updatedAt)),
    metadata: auth.metadata,
    ...(auth.expiresAt ? { expiresAt: timestampFromDate(new Date(auth.expiresAt)) } : {}),
  });
}

export function publicAuthServiceImpl(api: AuthApi): ServiceImpl<typeof PublicAuthenticationService> {
  return {
    listAuthenticationMethods: () => ({
      methods: api.listMethods().methods.map((m) => ({
        method: METHOD_NUMBERS[m.method] as Method,
        enabled: m.enabled,
        sessionCompatible: m.sessionCompatible,
      })),
    }),
  };
}

export function authServiceImpl(api: AuthApi): ServiceImpl<typeof AuthenticationService> {
  return {
    getAuthenticationSelf: () => messageOf(api.self()),
    getAuthentication: async (r) => messageOf(await api.get(r.id)),
    async listAuthentications(r) {
      const page = await api.list({
        ...(r.method ? { method: methodOfNumber(r.method) } : {}),
        limit: r.limit,
        pageToken: r.pageToken,
      });
      return { authentications: page.authentications.map(messageOf), nextPageToken: page.nextPageToken };
    },
    async deleteAuthentication(r) {
      await api.delete(r.id);
      return {};
    },
    async expireAuthenticationSelf(r) {
      await api.expireSelf(r.expiresAt ? timestampDate(r.expiresAt).toISOString() : undefined);
      return {};
    },
  };
}

export function tokenServiceImpl(api: AuthApi): ServiceImpl<typeof AuthenticationMethodTokenService> {
  return {
    async createToken(r) {
      const created = await api.createToken({
        name: r.name,
        description: r.description,
        namespaceKey: r.namespaceKey,
        metadata: r.metadata,
        ...(r.expiresAt ? { expiresAt: timestampDate(r.expiresAt).toISOString() } : {}),
      });
      return { clientToken: created.clientToken, authentication: messageOf(created.authentication) };
    },
  };
}

export function kubernetesServiceImpl(
  method: KubernetesMethod,
): ServiceImpl<typeof AuthenticationMethodKubernetesService> {
  return {
    async verifyServiceAccount(r) {
      const created = await method.verifyServiceAccount(r.serviceAccountToken);
      return { clientToken: created.clientToken, authentication: messageOf(created.authentication) };
    },
  };
}
