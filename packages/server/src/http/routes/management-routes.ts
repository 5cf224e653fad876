import type { Context, Hono } from 'hono';
import { UnsupportedMediaTypeError } from '../../errors/mapping.ts';
import type { ManagementOperation } from '../../service/management-store.ts';
import { namespaceKeyOf } from '../../service/namespace.ts';
import type { HttpDeps } from '../deps.ts';
import { readMessage, type Schema } from '../json-body.ts';
import { json } from '../respond.ts';

// Shared wiring for the flipt.Flipt management routes: the namespaced prefix and its legacy
// non-namespaced alias (which acts on `default`), and the generic write handler. Writes go
// through the ManagementStore; read-only sources reject them with Flipt's read-only error.

export const NAMESPACED = '/api/v1/namespaces/:namespaceKey';
export const LEGACY = '/api/v1';

/** The namespace a route acts on: the path's, else `default` (legacy aliases). */
export function namespaceOf(c: Context): string {
  return namespaceKeyOf(c.req.param('namespaceKey'));
}

type Method = 'post' | 'put' | 'delete';

export interface WriteRoute {
  method: Method;
  path: string;
  operation: ManagementOperation;
  /** Body fields (types are checked; values are passed on). */
  body?: Schema;
  /**
   * Flipt's defaults for absent body fields. A nested object gives the defaults of a nested
   * message, applied only when the body has that message (so one member of a oneof is not
   * conjured up by the defaults of another).
   */
  defaults?: Record<string, unknown>;
  /** Query parameters bound into the request (e.g. DELETE distribution `variantId`). */
  query?: Record<string, 'string' | 'bool'>;
}

const isMessage = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

function withDefaults(
  defaults: Record<string, unknown>,
  body: Record<string, unknown>,
): Record<string, unknown> {
  const request = { ...body };
  for (const [name, value] of Object.entries(defaults)) {
    if (isMessage(value)) {
      const given = request[name];
      if (isMessage(given)) request[name] = { ...value, ...given };
    } else if (request[name] === undefined) {
      request[name] = value;
    }
  }
  return request;
}

/** `application/json`, with or without parameters (`; charset=utf-8`). */
const JSON_CONTENT_TYPE = /^application\/json\s*(?:;|$)/i;

export function registerWrite(app: Hono, deps: HttpDeps, route: WriteRoute): void {
  const store = deps.services.management;
  app[route.method](route.path, async (c) => {
    // A browser sends a text/plain, form or type-less POST cross-site without asking the server
    // first; JSON needs a CORS preflight, which cors.* decides. DELETE always needs one.
    if (route.method !== 'delete') {
      const type = c.req.header('content-type');
      if (type === undefined || !JSON_CONTENT_TYPE.test(type)) throw new UnsupportedMediaTypeError(type);
    }
    // The body is read and checked even when the store is read-only: a malformed body is the
    // client's mistake and answers 400, as in Flipt where decoding precedes the store.
    const body = route.body ? await readMessage<Record<string, unknown>>(c, route.body, deps.bodyLimit) : {};
    const request = withDefaults(route.defaults ?? {}, body);
    for (const [name, kind] of Object.entries(route.query ?? {})) {
      const v = c.req.query(name);
      if (v !== undefined) request[name] = kind === 'bool' ? v === 'true' : v;
    }
    // Path parameters win over body fields, as grpc-gateway binds them last.
    Object.assign(request, c.req.param());
    if ('namespaceKey' in request || route.path.startsWith(LEGACY)) {
      request['namespaceKey'] = namespaceKeyOf(request['namespaceKey'] as string | undefined);
    }
    const operation = store[route.operation] as (r: unknown) => Promise<unknown>;
    const result = await operation.call(store, request);
    // Deletes and orderings answer google.protobuf.Empty.
    return json(c, result ?? {});
  });
}
