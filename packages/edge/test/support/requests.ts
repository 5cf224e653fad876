import type { GeneratedData } from './generated-features.ts';
import { prng } from './generated-features.ts';

// The requests the edge must answer exactly as its origin does, built from the generated data:
// every evaluation route, OFREP, the snapshot in each document form, and the error paths.

export interface ApiRequest {
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: string;
}

export interface ApiAnswer {
  status: number;
  contentType: string | null;
  etag: string | null;
  /** The body with the per-call fields (timestamp, duration) blanked. */
  body: string;
}

const PLANS = ['free', 'pro', 'team', 'enterprise', ''];

function contextFor(random: () => number): Record<string, string> {
  return {
    plan: PLANS[Math.floor(random() * PLANS.length)]!,
    age: String(Math.floor(random() * 80)),
    beta: random() < 0.5 ? 'true' : 'false',
    country: ['fr', 'de', 'us', 'jp', 'br', 'it'][Math.floor(random() * 6)]!,
    signup: random() < 0.5 ? '2023-06-01T00:00:00Z' : '2025-06-01T00:00:00Z',
  };
}

export function apiRequests(data: GeneratedData, seed = 3): ApiRequest[] {
  const random = prng(seed);
  const post = (path: string, body: unknown, headers?: Record<string, string>): ApiRequest => ({
    method: 'POST',
    path,
    body: typeof body === 'string' ? body : JSON.stringify(body),
    ...(headers ? { headers } : {}),
  });
  const out: ApiRequest[] = [];
  const evaluations: Array<Record<string, unknown>> = [];
  for (const [route, flags] of [
    ['variant', data.variantFlags],
    ['boolean', data.booleanFlags],
  ] as const) {
    for (const flagKey of flags) {
      for (let i = 0; i < 3; i++) {
        const request = {
          requestId: `req-${flagKey}-${i}`,
          namespaceKey: 'default',
          flagKey,
          entityId: `user-${Math.floor(random() * 10_000)}`,
          context: contextFor(random),
        };
        evaluations.push(request);
        out.push(post(`/evaluate/v1/${route}`, request));
      }
    }
  }
  const someVariant = data.variantFlags[0]!;
  const someBoolean = data.booleanFlags[0]!;
  out.push(
    post('/evaluate/v1/batch', {
      requestId: 'batch-1',
      requests: [...evaluations.slice(0, 20), { flagKey: 'missing', entityId: 'u' }],
    }),
    post('/evaluate/v1/variant', { requestId: 'e1', flagKey: 'missing', entityId: 'u' }),
    post('/evaluate/v1/variant', { requestId: 'e2', flagKey: someBoolean, entityId: 'u' }),
    post('/evaluate/v1/boolean', { requestId: 'e3', flagKey: someVariant, entityId: 'u', context: { a: 1 } }),
    post('/evaluate/v1/variant', '{not json'),
    post('/evaluate/v1/variant?pretty', { requestId: 'p1', flagKey: someVariant, entityId: 'u' }),
    post('/api/v1/evaluate', {
      requestId: 'l1',
      flagKey: someVariant,
      entityId: 'u-1',
      context: { plan: 'pro' },
    }),
    post('/api/v1/namespaces/default/evaluate', { requestId: 'l2', flagKey: someVariant, entityId: 'u-2' }),
    post('/api/v1/evaluate', { flagKey: someVariant }),
    post('/api/v1/batch-evaluate', {
      requestId: 'lb1',
      excludeNotFound: true,
      requests: [
        { flagKey: someVariant, entityId: 'a' },
        { flagKey: 'missing', entityId: 'b' },
      ],
    }),
    post('/api/v1/namespaces/default/batch-evaluate', {
      requestId: 'lb2',
      requests: [{ flagKey: 'missing', entityId: 'b' }],
    }),
    post(`/ofrep/v1/evaluate/flags/${someVariant}`, {
      context: { targetingKey: 'user-1', plan: 'pro', age: 30 },
    }),
    post(`/ofrep/v1/evaluate/flags/${someBoolean}`, { context: { targetingKey: 'user-2' } }),
    post('/ofrep/v1/evaluate/flags/missing', { context: { targetingKey: 'user-2' } }),
    post('/ofrep/v1/evaluate/flags', { context: { targetingKey: 'user-3', plan: 'team', beta: true } }),
    post('/ofrep/v1/evaluate/flags', {
      context: { targetingKey: 'user-4', flags: `${someVariant},${someBoolean}` },
    }),
    post('/ofrep/v1/evaluate/flags', { context: 'not an object' }),
    { method: 'GET', path: '/ofrep/v1/configuration' },
    { method: 'GET', path: '/internal/v1/evaluation/snapshot/namespace/default' },
    {
      method: 'GET',
      path: '/internal/v1/evaluation/snapshot/namespace/default',
      headers: { 'x-flipt-accept-server-version': '1.38.0' },
    },
    {
      method: 'GET',
      path: '/internal/v1/evaluation/snapshot/namespace/default',
      headers: { 'x-flipt-accept-server-version': '1.47.0' },
    },
    { method: 'GET', path: '/internal/v1/evaluation/snapshot/namespace/nowhere' },
    { method: 'GET', path: '/evaluate/v1/variant' },
    { method: 'GET', path: '/no/such/route' },
  );
  return out;
}

const VOLATILE = /"(timestamp|requestDurationMillis)":\s*("[^"]*"|[-+0-9.eE]+)/g;

export async function ask(
  base: string,
  request: ApiRequest,
  extraHeaders: Record<string, string> = {},
): Promise<ApiAnswer> {
  const response = await fetch(base + request.path, {
    method: request.method,
    headers: { ...request.headers, ...extraHeaders },
    ...(request.body !== undefined ? { body: request.body } : {}),
    signal: AbortSignal.timeout(10_000),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get('content-type'),
    etag: response.headers.get('etag'),
    body: text.replace(VOLATILE, '"$1":0'),
  };
}
