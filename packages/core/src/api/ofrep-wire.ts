import { invalidArgument } from '../errors/index.ts';
import { sha1Hex } from '../hash/sha1.ts';
import type { OfrepBulkResult, OfrepContext } from './ofrep-service.ts';

// OFREP's request and bulk-response framing (spec/ofrep.md), shared by every HTTP transport.

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

export function ofrepBulkBody(result: OfrepBulkResult, namespace: string): OfrepBulkBody {
  const value = {
    ...result,
    // OFREP ADR-0008: providers that understand SSE re-fetch on push instead of polling.
    eventStreams: [
      { type: 'sse', endpoint: { requestUri: streamPathOf(namespace) }, inactivityDelaySec: 120 },
    ],
  };
  const text = JSON.stringify(value);
  return { text, value, etag: `W/"${sha1Hex(text)}"` };
}

/** If-None-Match against one ETag: a list, `*`, compared exactly (weak prefix included). */
export function ifNoneMatchHits(ifNoneMatch: string | null | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim() === etag);
}
