import type { Hono } from 'hono';
import type { KubernetesMethod } from '../../auth/kubernetes-method.ts';
import { readMessage } from '../json-body.ts';
import { json } from '../respond.ts';

// POST /auth/v1/method/kubernetes/serviceaccount (spec §3.3): a service-account token in, a
// client token out. Public: the caller has no client token yet.

export function registerKubernetesRoutes(app: Hono, method: KubernetesMethod, bodyLimit: number): void {
  app.post('/auth/v1/method/kubernetes/serviceaccount', async (c) => {
    const body = await readMessage<{ serviceAccountToken?: string }>(
      c,
      { serviceAccountToken: 'string' },
      bodyLimit,
    );
    return json(c, await method.verifyServiceAccount(body.serviceAccountToken ?? ''));
  });
}
