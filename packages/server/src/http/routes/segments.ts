import type { Hono } from 'hono';
import type { HttpDeps } from '../deps.ts';
import { pageRequest } from '../query.ts';
import { json } from '../respond.ts';
import { LEGACY, NAMESPACED, namespaceOf, readAt, registerWrite } from './management-routes.ts';

// Segments and their constraints, namespaced and under the legacy `/api/v1/segments` alias.

export function registerSegmentRoutes(app: Hono, deps: HttpDeps): void {
  for (const prefix of [NAMESPACED, LEGACY]) {
    app.get(`${prefix}/segments`, async (c) =>
      json(c, (await readAt(deps, c)).listSegments({ namespaceKey: namespaceOf(c), ...pageRequest(c) })),
    );
    app.get(`${prefix}/segments/:key`, async (c) =>
      json(c, (await readAt(deps, c)).getSegment(namespaceOf(c), c.req.param('key'))),
    );

    registerWrite(app, deps, {
      method: 'post',
      path: `${prefix}/segments`,
      operation: 'createSegment',
    });
    registerWrite(app, deps, {
      method: 'put',
      path: `${prefix}/segments/:key`,
      operation: 'updateSegment',
    });
    registerWrite(app, deps, {
      method: 'delete',
      path: `${prefix}/segments/:key`,
      operation: 'deleteSegment',
    });

    registerWrite(app, deps, {
      method: 'post',
      path: `${prefix}/segments/:segmentKey/constraints`,
      operation: 'createConstraint',
    });
    registerWrite(app, deps, {
      method: 'put',
      path: `${prefix}/segments/:segmentKey/constraints/:id`,
      operation: 'updateConstraint',
    });
    registerWrite(app, deps, {
      method: 'delete',
      path: `${prefix}/segments/:segmentKey/constraints/:id`,
      operation: 'deleteConstraint',
    });
  }
}
