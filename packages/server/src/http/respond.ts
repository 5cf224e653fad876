import { acceptsGzipHeader, fliptErrorBody, GZIP_MIN_BYTES, gzipBytes } from '@ensign/core';
import type { Context } from 'hono';

export { GZIP_MIN_BYTES } from '@ensign/core';

// Response writing shared by every route. Bodies are built as strings and handed to a plain
// Response: cheaper than Hono's helpers on the hot path, and exact about headers. Compression
// lives here rather than in a middleware so the evaluation routes (small bodies) pay nothing.

const JSON_TYPE = 'application/json';

/** `?pretty` (any value) or `Accept: application/json+pretty` asks for indented JSON (grpc-gateway). */
export function wantsPretty(c: Context): boolean {
  const url = c.req.url;
  const q = url.indexOf('?');
  if (q !== -1 && /[?&]pretty(?:[=&#]|$)/.test(url.slice(q))) return true;
  const accept = c.req.header('accept');
  return accept?.includes('json+pretty') === true;
}

export function acceptsGzip(c: Context): boolean {
  return acceptsGzipHeader(c.req.header('accept-encoding'));
}

export function stringify(c: Context, value: unknown): string {
  return wantsPretty(c) ? JSON.stringify(value, null, 2) : JSON.stringify(value);
}

function headersWith(extra: Record<string, string> | undefined): Record<string, string> {
  return extra ? { 'content-type': JSON_TYPE, ...extra } : { 'content-type': JSON_TYPE };
}

/** Gzips `body` for clients that asked, when it is worth it. */
export async function gzipped(
  body: string | Uint8Array,
  status: number,
  headers: Record<string, string>,
): Promise<Response> {
  const bytes = await gzipBytes(body);
  return new Response(bytes, {
    status,
    headers: { ...headers, 'content-encoding': 'gzip', vary: 'Accept-Encoding' },
  });
}

export function jsonText(
  c: Context,
  text: string,
  status = 200,
  extra?: Record<string, string>,
): Response | Promise<Response> {
  const headers = headersWith(extra);
  if (text.length >= GZIP_MIN_BYTES && acceptsGzip(c)) return gzipped(text, status, headers);
  return new Response(text, { status, headers });
}

export function json(
  c: Context,
  value: unknown,
  status = 200,
  extra?: Record<string, string>,
): Response | Promise<Response> {
  return jsonText(c, stringify(c, value), status, extra);
}

/** grpc-gateway's error body `{code, message, details: []}` with the given HTTP status. */
export function fliptError(c: Context, status: number, grpcCode: number, message: string): Response {
  return new Response(stringify(c, fliptErrorBody(grpcCode, message)), {
    status,
    headers: headersWith(undefined),
  });
}
