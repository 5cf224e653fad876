import type { Hono } from 'hono';
import type { HttpDeps } from '../deps.ts';
import { pageRequest } from '../query.ts';
import { json } from '../respond.ts';
import { LEGACY, NAMESPACED, namespaceOf, readAt, registerWrite } from './management-routes.ts';

// Rules of variant flags and their distributions, namespaced and legacy. `rules/order` is
// registered before `rules/:id` so the literal wins.

export function registerRuleRoutes(app: Hono, deps: HttpDeps): void {
  for (const prefix of [NAMESPACED, LEGACY]) {
    const rules = `${prefix}/flags/:flagKey/rules`;
    app.get(rules, async (c) =>
      json(
        c,
        (await readAt(deps, c)).listRules({
          namespaceKey: namespaceOf(c),
          flagKey: c.req.param('flagKey')!,
          ...pageRequest(c),
        }),
      ),
    );
    registerWrite(app, deps, {
      method: 'put',
      path: `${rules}/order`,
      operation: 'orderRules',
    });
    app.get(`${rules}/:id`, async (c) =>
      json(c, (await readAt(deps, c)).getRule(namespaceOf(c), c.req.param('flagKey')!, c.req.param('id')!)),
    );
    registerWrite(app, deps, {
      method: 'post',
      path: rules,
      operation: 'createRule',
    });
    registerWrite(app, deps, {
      method: 'put',
      path: `${rules}/:id`,
      operation: 'updateRule',
    });
    registerWrite(app, deps, { method: 'delete', path: `${rules}/:id`, operation: 'deleteRule' });

    const distributions = `${rules}/:ruleId/distributions`;
    registerWrite(app, deps, {
      method: 'post',
      path: distributions,
      operation: 'createDistribution',
    });
    registerWrite(app, deps, {
      method: 'put',
      path: `${distributions}/:id`,
      operation: 'updateDistribution',
    });
    registerWrite(app, deps, {
      method: 'delete',
      path: `${distributions}/:id`,
      operation: 'deleteDistribution',
    });
  }
}
