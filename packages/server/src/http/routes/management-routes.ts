import type { DescMethodUnary } from '@bufbuild/protobuf';
import type { Context, Hono } from 'hono';
import { UnsupportedMediaTypeError } from '../../errors/mapping.ts';
import { Flipt } from '../../grpc/gen/flipt/flipt_pb.js';
import type { ReadService } from '../../service/management-read.ts';
import { namespaceKeyOf } from '../../service/namespace.ts';
import { storeRequestOf } from '../../service/write-request.ts';
import type { ManagementOperation } from '../../storage/management-store.ts';
import type { HttpDeps } from '../deps.ts';
import { readJson } from '../json-body.ts';
import { json } from '../respond.ts';
import { decodeWriteBody } from '../write-body.ts';

// Shared wiring for the flipt.Flipt management routes: the namespaced prefix and its legacy
// non-namespaced alias (which acts on `default`), and the generic write handler. A write's body
// is decoded into the gRPC method's own request message, so REST, gRPC and Connect share one
// typed path into the ManagementStore; read-only sources reject with Flipt's read-only error.

export const NAMESPACED = '/api/v1/namespaces/:namespaceKey';
export const LEGACY = '/api/v1';

/** The namespace a route acts on: the path's, else `default` (legacy aliases). */
export function namespaceOf(c: Context): string {
  return namespaceKeyOf(c.req.param('namespaceKey'));
}

/** The read service at the request's `?reference=` (a git branch, tag or commit), like Flipt's. */
export async function readAt(deps: HttpDeps, c: Context): Promise<ReadService> {
  return (await deps.servicesAt(c.req.query('reference'))).read;
}

type Method = 'post' | 'put' | 'delete';

export interface WriteRoute {
  method: Method;
  path: string;
  /** The flipt.Flipt RPC (lowerCamel), which is also the store operation's name. */
  operation: ManagementOperation;
}

/** `application/json`, with or without parameters (`; charset=utf-8`). */
const JSON_CONTENT_TYPE = /^application\/json\s*(?:;|$)/i;

export function registerWrite(app: Hono, deps: HttpDeps, route: WriteRoute): void {
  const store = deps.services.management;
  const input = (Flipt.method[route.operation] as DescMethodUnary).input;
  // grpc-gateway maps POST/PUT bodies onto the whole message ("body: *") and DELETE's fields
  // onto query parameters.
  const hasBody = route.method !== 'delete';
  app[route.method](route.path, async (c) => {
    // A browser sends a text/plain, form or type-less POST cross-site without asking the server
    // first; JSON needs a CORS preflight, which cors.* decides. DELETE always needs one.
    if (hasBody) {
      const type = c.req.header('content-type');
      if (type === undefined || !JSON_CONTENT_TYPE.test(type)) throw new UnsupportedMediaTypeError(type);
    }
    // The body is read and checked even when the store is read-only: a malformed body is the
    // client's mistake and answers 400, as in Flipt where decoding precedes the store.
    const message = decodeWriteBody(input, {
      body: hasBody ? await readJson(c, deps.bodyLimit) : undefined,
      params: c.req.param(),
      ...(hasBody ? {} : { query: c.req.query() }),
    });
    const request = storeRequestOf(input, message);
    const operation = store[route.operation] as (r: unknown) => Promise<unknown>;
    const result = await operation.call(store, request);
    // Deletes and orderings answer google.protobuf.Empty.
    return json(c, result ?? {});
  });
}
