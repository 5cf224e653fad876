import type { Hono } from 'hono';
import type { HttpDeps } from '../deps.ts';
import { pageRequest } from '../query.ts';
import { json } from '../respond.ts';
import { readAt, registerWrite } from './management-routes.ts';

// /api/v1/namespaces (no legacy alias exists for namespaces).

export function registerNamespaceRoutes(app: Hono, deps: HttpDeps): void {
  app.get('/api/v1/namespaces', async (c) => json(c, (await readAt(deps, c)).listNamespaces(pageRequest(c))));
  app.get('/api/v1/namespaces/:key', async (c) =>
    json(c, (await readAt(deps, c)).getNamespace(c.req.param('key'))),
  );

  registerWrite(app, deps, {
    method: 'post',
    path: '/api/v1/namespaces',
    operation: 'createNamespace',
  });
  registerWrite(app, deps, {
    method: 'put',
    path: '/api/v1/namespaces/:key',
    operation: 'updateNamespace',
  });
  registerWrite(app, deps, {
    method: 'delete',
    path: '/api/v1/namespaces/:key',
    operation: 'deleteNamespace',
  });
}
