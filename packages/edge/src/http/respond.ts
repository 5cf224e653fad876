import { classifyError, fliptErrorBody, ofrepErrorBody } from '@ensign/core/errors';

// Writing answers the way the server writes them, so bodies match byte for byte: compact JSON
// unless the caller asks for indentation (`?pretty`, Accept: application/json+pretty), and
// Flipt's gateway error body (OFREP's for OFREP routes). Compression is left to the platform.

const JSON_HEADERS = { 'content-type': 'application/json' } as const;

export function wantsPretty(request: Request, url: URL): boolean {
  return url.searchParams.has('pretty') || (request.headers.get('accept')?.includes('json+pretty') ?? false);
}

export function jsonResponse(
  value: unknown,
  pretty: boolean,
  status = 200,
  headers?: Record<string, string>,
): Response {
  const text = pretty ? JSON.stringify(value, null, 2) : JSON.stringify(value);
  return new Response(text, { status, headers: headers ? { ...JSON_HEADERS, ...headers } : JSON_HEADERS });
}

export function fliptErrorResponse(error: unknown, pretty: boolean): Response {
  const e = classifyError(error);
  return jsonResponse(fliptErrorBody(e.grpcCode, e.message), pretty, e.httpStatus);
}

export function ofrepErrorResponse(error: unknown, pretty: boolean, key?: string): Response {
  const e = classifyError(error);
  return jsonResponse(ofrepErrorBody(e, key), pretty, e.httpStatus);
}
