/**
 * Every failure Ensign reports carries one of these codes. Transports map codes to HTTP
 * statuses, gRPC codes and OFREP error codes in one place (transport-mapping.ts).
 */
export type ErrorCode =
  | 'invalid_argument'
  | 'not_found'
  | 'already_exists'
  | 'failed_precondition'
  | 'read_only'
  | 'unauthenticated'
  | 'permission_denied'
  | 'resource_exhausted'
  | 'unavailable'
  | 'internal';

export class EnsignError extends Error {
  readonly code: ErrorCode;

  constructor(code: ErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EnsignError';
    this.code = code;
  }
}

export function isEnsignError(error: unknown): error is EnsignError {
  return error instanceof EnsignError;
}

export const notFound = (message: string): EnsignError => new EnsignError('not_found', message);
export const invalidArgument = (message: string): EnsignError => new EnsignError('invalid_argument', message);

/** Flipt's messages for the common cases, so every transport says the same words. */
export const flagNotFound = (namespaceKey: string, flagKey: string): EnsignError =>
  notFound(`flag "${namespaceKey}/${flagKey}" not found`);
export const namespaceNotFound = (namespaceKey: string): EnsignError =>
  notFound(`namespace "${namespaceKey}" not found`);
export const readOnly = (): EnsignError =>
  new EnsignError('read_only', 'modification is not allowed in read-only mode');
