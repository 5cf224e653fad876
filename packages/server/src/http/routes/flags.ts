import type { Hono } from 'hono';
import type { HttpDeps } from '../deps.ts';
import type { Schema } from '../json-body.ts';
import { pageRequest } from '../query.ts';
import { json } from '../respond.ts';
import { LEGACY, NAMESPACED, namespaceOf, registerWrite } from './management-routes.ts';

// Flags and their variants, namespaced and under the legacy `/api/v1/flags` alias.

const FLAG_BODY: Schema = {
  key: 'string',
  name: 'string',
  description: 'string',
  enabled: 'bool',
  namespaceKey: 'string',
  type: 'enum',
  defaultVariantId: 'string',
  metadata: 'object',
};

const VARIANT_BODY: Schema = {
  id: 'string',
  flagKey: 'string',
  key: 'string',
  name: 'string',
  description: 'string',
  attachment: 'string',
  namespaceKey: 'string',
};

export function registerFlagRoutes(app: Hono, deps: HttpDeps): void {
  // Reads honour `?reference=` (a git branch, tag or commit) like Flipt's.
  const readAt = async (reference: string | undefined) => (await deps.servicesAt(reference)).read;
  const flagDefaults = { key: '', name: '', description: '', enabled: false, type: 'VARIANT_FLAG_TYPE' };
  const variantDefaults = { key: '', name: '', description: '', attachment: '' };

  for (const prefix of [NAMESPACED, LEGACY]) {
    app.get(`${prefix}/flags`, async (c) =>
      json(
        c,
        (await readAt(c.req.query('reference'))).listFlags({
          namespaceKey: namespaceOf(c),
          ...pageRequest(c),
        }),
      ),
    );
    app.get(`${prefix}/flags/:key`, async (c) =>
      json(c, (await readAt(c.req.query('reference'))).getFlag(namespaceOf(c), c.req.param('key'))),
    );

    registerWrite(app, deps, {
      method: 'post',
      path: `${prefix}/flags`,
      operation: 'createFlag',
      body: FLAG_BODY,
      defaults: flagDefaults,
    });
    registerWrite(app, deps, {
      method: 'put',
      path: `${prefix}/flags/:key`,
      operation: 'updateFlag',
      body: FLAG_BODY,
      defaults: { ...flagDefaults, defaultVariantId: '' },
    });
    registerWrite(app, deps, { method: 'delete', path: `${prefix}/flags/:key`, operation: 'deleteFlag' });

    registerWrite(app, deps, {
      method: 'post',
      path: `${prefix}/flags/:flagKey/variants`,
      operation: 'createVariant',
      body: VARIANT_BODY,
      defaults: variantDefaults,
    });
    registerWrite(app, deps, {
      method: 'put',
      path: `${prefix}/flags/:flagKey/variants/:id`,
      operation: 'updateVariant',
      body: VARIANT_BODY,
      defaults: variantDefaults,
    });
    registerWrite(app, deps, {
      method: 'delete',
      path: `${prefix}/flags/:flagKey/variants/:id`,
      operation: 'deleteVariant',
    });
  }
}
