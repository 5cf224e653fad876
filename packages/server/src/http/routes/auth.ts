import { invalidArgument } from '@ensign/core';
import type { Hono } from 'hono';
import { type AuthMethod, METHOD_NUMBERS, methodOfNumber } from '../../auth/authentication.ts';
import { SESSION_COOKIE } from '../../auth/credentials.ts';
import type { Auth } from '../../auth/index.ts';
import { clearedSessionCookie } from '../../auth/session-cookies.ts';
import { readMessage } from '../json-body.ts';
import { queryParam } from '../query.ts';
import { json } from '../respond.ts';

// /auth/v1 (spec §3.3): method listing, self, token management and token creation, over the
// same auth API as the flipt.auth gRPC services.

const CREATE_TOKEN = {
  name: 'string',
  description: 'string',
  expiresAt: 'string',
  namespaceKey: 'string',
  metadata: 'stringMap',
} as const;

/** `?method=METHOD_TOKEN` or `?method=1`, as grpc-gateway binds enums. */
function methodParam(raw: string | undefined): AuthMethod | undefined {
  if (raw === undefined || raw === '') return undefined;
  if (raw in METHOD_NUMBERS) return raw as AuthMethod;
  if (/^\d+$/.test(raw)) return methodOfNumber(Number(raw));
  throw invalidArgument(`type mismatch, parameter: method, error: invalid value ${JSON.stringify(raw)}`);
}

function limitParam(raw: string | undefined): number {
  if (raw === undefined || raw === '') return 0;
  if (!/^\d{1,9}$/.test(raw))
    throw invalidArgument(`type mismatch, parameter: limit, error: invalid value ${JSON.stringify(raw)}`);
  return Number(raw);
}

export function registerAuthRoutes(app: Hono, { api, tokens, session }: Auth, bodyLimit: number): void {
  app.get('/auth/v1/method', (c) => json(c, api.listMethods()));
  app.get('/auth/v1/self', (c) => json(c, api.self()));
  app.put('/auth/v1/self/expire', async (c) => {
    const body = await readMessage<{ expiresAt?: string }>(c, { expiresAt: 'string' }, bodyLimit);
    await api.expireSelf(body.expiresAt || undefined);
    const response = await json(c, {});
    // A browser session ends here: the cookie goes too (Flipt's UI logs out this way).
    if (c.req.header('cookie')?.includes(SESSION_COOKIE))
      response.headers.append('set-cookie', clearedSessionCookie(session));
    return response;
  });
  app.get('/auth/v1/tokens', async (c) =>
    json(
      c,
      await api.list({
        method: methodParam(c.req.query('method')),
        limit: limitParam(c.req.query('limit')),
        pageToken: queryParam(c, 'pageToken', 'page_token') ?? '',
      }),
    ),
  );
  app.get('/auth/v1/tokens/:id', async (c) => json(c, await api.get(c.req.param('id'))));
  app.delete('/auth/v1/tokens/:id', async (c) => {
    await api.delete(c.req.param('id'));
    return json(c, {});
  });
  if (!tokens) return;
  app.post('/auth/v1/method/token', async (c) => {
    const body = await readMessage<Partial<Record<keyof typeof CREATE_TOKEN, unknown>>>(
      c,
      CREATE_TOKEN,
      bodyLimit,
    );
    const created = await api.createToken({
      name: (body.name as string | undefined) ?? '',
      description: (body.description as string | undefined) ?? '',
      namespaceKey: (body.namespaceKey as string | undefined) ?? '',
      metadata: (body.metadata as Record<string, string> | undefined) ?? {},
      ...(body.expiresAt ? { expiresAt: body.expiresAt as string } : {}),
    });
    return json(c, created);
  });
}
