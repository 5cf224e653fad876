// Flipt's evaluation interceptor fills these after the handler ran (docs/evaluation.md); the
// pure evaluator leaves them empty so that it stays deterministic.

/** The caller's request id, or a fresh UUIDv4 when it sent none. */
export function requestIdOr(id: string | undefined): string {
  return id ? id : crypto.randomUUID();
}

/** RFC 3339 UTC with fractional seconds, as protobuf's Timestamp JSON renders it. */
export function timestampNow(): string {
  const now = Date.now();
  const intoMinute = now - minuteStart;
  if (intoMinute >= 0 && intoMinute < 60_000) {
    // Every response carries one: formatting the date parts once a minute, not per request.
    const seconds = (intoMinute / 1000) | 0;
    const millis = intoMinute - seconds * 1000;
    return `${minutePrefix}${seconds < 10 ? '0' : ''}${seconds}.${millis < 100 ? (millis < 10 ? '00' : '0') : ''}${millis}Z`;
  }
  // Four-digit years only: toISOString writes others in an extended form.
  if (now < 0 || now >= YEAR_10000) return new Date(now).toISOString();
  minuteStart = now - (now % 60_000);
  minutePrefix = new Date(minuteStart).toISOString().slice(0, 'YYYY-MM-DDTHH:MM:'.length);
  return timestampNow();
}

const YEAR_10000 = 253_402_300_800_000;
let minuteStart = Number.NaN;
let minutePrefix = '';

/** Milliseconds elapsed since `start` (a performance.now() reading), as a double. */
export function elapsedMs(start: number): number {
  return performance.now() - start;
}
