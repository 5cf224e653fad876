// Flipt's evaluation interceptor fills these after the handler ran (docs/evaluation.md); the
// pure evaluator leaves them empty so that it stays deterministic.

/** The caller's request id, or a fresh UUIDv4 when it sent none. */
export function requestIdOr(id: string | undefined): string {
  return id ? id : crypto.randomUUID();
}

/** RFC 3339 UTC with fractional seconds, as protobuf's Timestamp JSON renders it. */
export function timestampNow(): string {
  return new Date().toISOString();
}

/** Milliseconds elapsed since `start` (a performance.now() reading), as a double. */
export function elapsedMs(start: number): number {
  return performance.now() - start;
}
