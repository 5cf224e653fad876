import type { Hono } from 'hono';
import type { HttpDeps } from '../deps.ts';
import { pageRequest } from '../query.ts';
import { json } from '../respond.ts';
import { LEGACY, NAMESPACED, namespaceOf, readAt, registerWrite } from './management-routes.ts';

// Flags and their variants, namespaced and under the legacy `/api/v1/flags` alias.

export function registerFlagRoutes(app: Hono, deps: HttpDeps): void {
  for (const prefix of [NAMESPACED, LEGACY]) {
    app.get(`${prefix}/flags`, async (c) =>
      json(
        c,
        (await readAt(deps, c)).listFlags({
          namespaceKey: namespaceOf(c),
          ...pageRequest(c),
        }),
      ),
    );
    app.get(`${prefix}/flags/:key`, async (c) =>
      json(c, (await readAt(deps, c)).getFlag(namespaceOf(c), c.req.param('key'))),
    );

    registerWrite(app, deps, {
      method: 'post',
      path: `${prefix}/flags`,
      operation: 'createFlag',
    });
    registerWrite(app, deps, {
      method: 'put',
      path: `${prefix}/flags/:key`,
      operation: 'updateFlag',
    });
    registerWrite(app, deps, { method: 'delete', path: `${prefix}/flags/:key`, operation: 'deleteFlag' });

    registerWrite(app, deps, {
      method: 'post',
      path: `${prefix}/flags/:flagKey/variants`,
      operation: 'createVariant',
    });
    registerWrite(app, deps, {
      method: 'put',
      path: `${prefix}/flags/:flagKey/variants/:id`,
      operation: 'updateVariant',
    });
    registerWrite(app, deps, {
      method: 'delete',
      path: `${prefix}/flags/:flagKey/variants/:id`,
      operation: 'deleteVariant',
    });
  }
}
