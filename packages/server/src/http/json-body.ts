import { decodeMessage, parseJsonBody, readBodyLimited, type Schema } from '@ensign/core';
import type { Context } from 'hono';

export {
  decodeMessage,
  type FieldKind,
  MAX_JSON_DEPTH,
  parseJsonBody,
  type Schema,
  TYPE_MISMATCH,
} from '@ensign/core';

// Request bodies read within the size limit and decoded the way Flipt's gateway does: the work
// is core's (api/json-message.ts), shared with the edge handler; this binds it to Hono.

/** The parsed JSON body, or undefined for an empty body. */
export async function readJson(c: Context, limit: number): Promise<unknown> {
  return parseJsonBody(await readBodyLimited(c.req.raw, limit));
}

/** Reads and decodes a request body in one step. */
export async function readMessage<T>(c: Context, schema: Schema, limit: number): Promise<T> {
  return decodeMessage<T>(await readJson(c, limit), schema);
}
