import { invalidArgument } from '@ensign/core';
import type { Authentication } from './authentication.ts';
import type { ServiceAccountVerifier } from './kubernetes.ts';
import type { AuthStore } from './store.ts';

// flipt.auth.AuthenticationMethodKubernetesService: a verified service-account token is traded
// for a client token that lives as long as the service-account token does (spec §3.3).

export interface KubernetesMethod {
  verifyServiceAccount(
    serviceAccountToken: string,
  ): Promise<{ clientToken: string; authentication: Authentication }>;
}

export function createKubernetesMethod(verify: ServiceAccountVerifier, store: AuthStore): KubernetesMethod {
  return {
    async verifyServiceAccount(serviceAccountToken) {
      if (serviceAccountToken === '') throw invalidArgument('empty field: serviceAccountToken');
      const account = await verify(serviceAccountToken);
      return store.create({
        method: 'METHOD_KUBERNETES',
        metadata: account.metadata,
        expiresAt: account.expiresAt,
      });
    },
  };
}
