import { invalidArgument } from '../errors/index.ts';
import type { OfrepBulkResult, OfrepContext } from './ofrep-service.ts';

// OFREP's request and bulk-response framing (docs/ofrep.md), shared by every HTTP transport.

/** The evaluation context of an OFREP request body; an empty body is an empty context. */
export function ofrepContextOf(body: unknown): OfrepContext {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body))
    throw invalidArgument('request body must be a JSON object');
  const context = (body as Record<string, unknown>)['context'];
  if (context === undefined || context === null) return {};
  if (typeof context !== 'object' || Array.isArray(context))
    throw invalidArgument('context must be an object');
  return context as OfrepContext;
}

/** The push URL path of a namespace's snapshot changes. */
export const streamPathOf = (namespace: string): string =>
  `/internal/v1/evaluation/snapshot/namespace/${encodeURIComponent(namespace)}/stream`;

export interface OfrepBulkBody {
  /** The compact JSON text the ETag covers. */
  readonly text: string;
  readonly value: unknown;
  /**
   * A weak validator over the evaluated result: W/"<sha1 of the body>", so it changes exactly
   * when what this caller would see changes (flags, variants, values).
   */
  readonly etag: string;
}

const encoder = new TextEncoder();

/** Web Crypto's SHA-1: native everywhere (Node, Workers, Deno, Bun), 16x core's pure one on 78 KB. */
async function sha1Of(text: string): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-1', encoder.encode(text)));
  let hex = '';
  for (const byte of digest) hex += byte.toString(16).padStart(2, '0');
  return hex;
}

export async function ofrepBulkBody(result: OfrepBulkResult, namespace: string): Promise<OfrepBulkBody> {
  const value = {
    ...result,
    // OFREP ADR-0008: providers that understand SSE re-fetch on push instead of polling.
    eventStreams: [
      { type: 'sse', endpoint: { requestUri: streamPathOf(namespace) }, inactivityDelaySec: 120 },
    ],
  };
  const text = JSON.stringify(value);
  return { text, value, etag: `W/"${await sha1Of(text)}"` };
}
