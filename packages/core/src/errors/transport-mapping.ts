import { EnsignError, type ErrorCode, isEnsignError } from './ensign-error.ts';

// The single place where Ensign's error codes become transport codes. REST, gRPC and OFREP (on
// the server and at the edge) all read this table, so a failure says the same thing everywhere.

export type OfrepErrorCode = 'FLAG_NOT_FOUND' | 'INVALID_CONTEXT' | 'GENERAL';

export interface ErrorMapping {
  /** HTTP status grpc-gateway would answer with. */
  readonly httpStatus: number;
  /** gRPC status code number (google.golang.org/grpc/codes). */
  readonly grpcCode: number;
  readonly ofrepCode: OfrepErrorCode;
}

/** gRPC code numbers used across transports. */
export const GrpcCode = {
  OK: 0,
  InvalidArgument: 3,
  NotFound: 5,
  AlreadyExists: 6,
  PermissionDenied: 7,
  ResourceExhausted: 8,
  FailedPrecondition: 9,
  Unimplemented: 12,
  Internal: 13,
  Unavailable: 14,
  Unauthenticated: 16,
} as const;

const TABLE: Readonly<Record<ErrorCode, ErrorMapping>> = {
  invalid_argument: { httpStatus: 400, grpcCode: GrpcCode.InvalidArgument, ofrepCode: 'INVALID_CONTEXT' },
  not_found: { httpStatus: 404, grpcCode: GrpcCode.NotFound, ofrepCode: 'FLAG_NOT_FOUND' },
  already_exists: { httpStatus: 409, grpcCode: GrpcCode.AlreadyExists, ofrepCode: 'GENERAL' },
  // grpc-gateway maps FailedPrecondition to 400.
  failed_precondition: { httpStatus: 400, grpcCode: GrpcCode.FailedPrecondition, ofrepCode: 'GENERAL' },
  // Flipt returns a plain error from read-only stores, which surfaces as Internal / 500.
  read_only: { httpStatus: 500, grpcCode: GrpcCode.Internal, ofrepCode: 'GENERAL' },
  unauthenticated: { httpStatus: 401, grpcCode: GrpcCode.Unauthenticated, ofrepCode: 'GENERAL' },
  permission_denied: { httpStatus: 403, grpcCode: GrpcCode.PermissionDenied, ofrepCode: 'GENERAL' },
  resource_exhausted: { httpStatus: 429, grpcCode: GrpcCode.ResourceExhausted, ofrepCode: 'GENERAL' },
  unavailable: { httpStatus: 503, grpcCode: GrpcCode.Unavailable, ofrepCode: 'GENERAL' },
  internal: { httpStatus: 500, grpcCode: GrpcCode.Internal, ofrepCode: 'GENERAL' },
};

const UNKNOWN: ErrorMapping = TABLE.internal;

/** Message shown for failures that are not EnsignErrors: internals never leak to clients. */
export const GENERIC_INTERNAL_MESSAGE = 'internal error';

export function mappingFor(code: ErrorCode): ErrorMapping {
  return TABLE[code] ?? UNKNOWN;
}

export interface ClassifiedError extends ErrorMapping {
  readonly message: string;
  /** False for failures we did not anticipate: callers log these with the stack. */
  readonly expected: boolean;
}

/**
 * A request body over the configured limit. gRPC says ResourceExhausted; HTTP answers 413 (Go's
 * MaxBytesReader) rather than grpc-gateway's 429, which would invite a retry.
 */
export class PayloadTooLargeError extends EnsignError {
  constructor(limit: number) {
    super('resource_exhausted', `request body too large: limit is ${limit} bytes`);
  }
}

/**
 * A management write whose body is not declared as JSON. Requiring the type makes a browser ask
 * before sending a cross-site write (CORS preflight), which a form or a text/plain fetch never does.
 */
export class UnsupportedMediaTypeError extends EnsignError {
  constructor(contentType: string | undefined) {
    super(
      'invalid_argument',
      `unsupported content type ${contentType ? `"${contentType}"` : '(none)'}: writes take application/json`,
    );
  }
}

/** Classifies anything thrown into transport terms. */
export function classifyError(error: unknown): ClassifiedError {
  if (error instanceof PayloadTooLargeError) {
    return { ...TABLE.resource_exhausted, httpStatus: 413, message: error.message, expected: true };
  }
  if (error instanceof UnsupportedMediaTypeError) {
    return { ...TABLE.invalid_argument, httpStatus: 415, message: error.message, expected: true };
  }
  if (isEnsignError(error)) {
    const m = mappingFor(error.code);
    return { ...m, message: error.message, expected: error.code !== 'internal' };
  }
  return { ...UNKNOWN, message: GENERIC_INTERNAL_MESSAGE, expected: false };
}

/** grpc-gateway's default error body. */
export interface FliptErrorBody {
  code: number;
  message: string;
  details: [];
}

export function fliptErrorBody(grpcCode: number, message: string): FliptErrorBody {
  return { code: grpcCode, message, details: [] };
}

/** OFREP's error body (docs/ofrep.md): `key` only when a single flag was asked for. */
export interface OfrepErrorBody {
  key?: string;
  errorCode: OfrepErrorCode;
  errorDetails: string;
}

export function ofrepErrorBody(classified: ClassifiedError, key?: string): OfrepErrorBody {
  return key === undefined
    ? { errorCode: classified.ofrepCode, errorDetails: classified.message }
    : { key, errorCode: classified.ofrepCode, errorDetails: classified.message };
}
