// The error mapping lives in core (errors/transport-mapping.ts), shared with the edge handler.
export {
  type ClassifiedError,
  classifyError,
  type ErrorMapping,
  type FliptErrorBody,
  fliptErrorBody,
  GENERIC_INTERNAL_MESSAGE,
  GrpcCode,
  mappingFor,
  type OfrepErrorBody,
  type OfrepErrorCode,
  ofrepErrorBody,
  PayloadTooLargeError,
  UnsupportedMediaTypeError,
} from '@ensign/core';
