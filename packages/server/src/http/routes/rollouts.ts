import type { Hono } from 'hono';
import type { HttpDeps } from '../deps.ts';
import { pageRequest } from '../query.ts';
import { json } from '../respond.ts';
import { NAMESPACED, namespaceOf, readAt, registerWrite } from './management-routes.ts';

// Rollouts of boolean flags. Flipt has no legacy alias for them. `rollouts/order` is
// registered before `rollouts/:id` so the literal wins.

export function registerRolloutRoutes(app: Hono, deps: HttpDeps): void {
  const rollouts = `${NAMESPACED}/flags/:flagKey/rollouts`;

  app.get(rollouts, async (c) =>
    json(
      c,
      (await readAt(deps, c)).listRollouts({
        namespaceKey: namespaceOf(c),
        flagKey: c.req.param('flagKey')!,
        ...pageRequest(c),
      }),
    ),
  );
  registerWrite(app, deps, {
    method: 'put',
    path: `${rollouts}/order`,
    operation: 'orderRollouts',
  });
  app.get(`${rollouts}/:id`, async (c) =>
    json(c, (await readAt(deps, c)).getRollout(namespaceOf(c), c.req.param('flagKey')!, c.req.param('id')!)),
  );
  registerWrite(app, deps, {
    method: 'post',
    path: rollouts,
    operation: 'createRollout',
  });
  registerWrite(app, deps, {
    method: 'put',
    path: `${rollouts}/:id`,
    operation: 'updateRollout',
  });
  registerWrite(app, deps, { method: 'delete', path: `${rollouts}/:id`, operation: 'deleteRollout' });
}
