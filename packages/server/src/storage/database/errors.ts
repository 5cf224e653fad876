import { EnsignError, invalidArgument, isEnsignError } from '@ensign/core';

// Drivers report trouble in their own vocabularies; the store needs three answers: the database
// cannot be reached (→ `unavailable`, retry later), a unique key clashed with a concurrent write
// (→ `invalid_argument`), or something unexpected (→ `internal`).

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST',
  'ER_CON_COUNT_ERROR',
  'ER_BAD_DB_ERROR',
  'ER_ACCESS_DENIED_ERROR',
  'ER_SERVER_SHUTDOWN',
  'SQLITE_BUSY',
  'SQLITE_LOCKED',
  'SQLITE_CANTOPEN',
  'SQLITE_IOERR',
]);
// PostgreSQL SQLSTATEs: admin shutdown, crash shutdown, cannot connect now, unknown database,
// too many connections.
const PG_UNAVAILABLE = new Set(['57P01', '57P02', '57P03', '3D000', '53300']);
const CONNECTION_MESSAGE =
  /connection terminated|timeout exceeded when trying to connect|query read timeout|query timed out|not currently accepting connections|connection error|database is locked|unable to open database|closed state|fetch failed|aborted due to timeout/i;

function describe(error: unknown): { code: string; message: string; errcode?: number } {
  const e = error as { code?: unknown; message?: unknown; errcode?: unknown } | undefined;
  return {
    code: typeof e?.code === 'string' ? e.code : '',
    message: typeof e?.message === 'string' ? e.message : String(error),
    ...(typeof e?.errcode === 'number' ? { errcode: e.errcode } : {}),
  };
}

export function isUnavailable(error: unknown): boolean {
  const { code, message, errcode } = describe(error);
  if (NETWORK_CODES.has(code) || PG_UNAVAILABLE.has(code) || code.startsWith('08')) return true;
  // node:sqlite: SQLITE_BUSY (5), SQLITE_LOCKED (6), SQLITE_IOERR (10), SQLITE_CANTOPEN (14).
  if (errcode !== undefined && [5, 6, 10, 14].includes(errcode & 0xff)) return true;
  if ((error as { fatal?: unknown })?.fatal === true) return true;
  return CONNECTION_MESSAGE.test(message);
}

// A connection that died while idle in the pool shows it on its first statement, with one of these.
const LOST_CODES = new Set(['ECONNRESET', 'EPIPE', 'PROTOCOL_CONNECTION_LOST']);
const LOST_MESSAGE = /connection terminated|closed state|connection error and is not queryable/i;

/** The connection broke under the statement (not a timeout, not a refusal): a new one may work. */
export function isConnectionLost(error: unknown): boolean {
  const { code, message } = describe(error);
  return LOST_CODES.has(code) || LOST_MESSAGE.test(message);
}

function isUniqueViolation(error: unknown): boolean {
  const { code, message, errcode } = describe(error);
  return (
    code === '23505' ||
    code === 'ER_DUP_ENTRY' ||
    code.startsWith('SQLITE_CONSTRAINT_UNIQUE') ||
    code === 'SQLITE_CONSTRAINT_PRIMARYKEY' ||
    errcode === 2067 ||
    errcode === 1555 ||
    /UNIQUE constraint failed|duplicate key/i.test(message)
  );
}

export function unavailable(cause: unknown): EnsignError {
  const { message } = describe(cause);
  return new EnsignError('unavailable', `database unavailable, change not saved: ${message}`, { cause });
}

/** Turns whatever a write threw into the error the API reports. */
export function toStoreError(error: unknown): EnsignError {
  if (isEnsignError(error)) return error;
  if (isUnavailable(error)) return unavailable(error);
  if (isUniqueViolation(error)) return invalidArgument('resource is not unique (changed concurrently)');
  return new EnsignError('internal', `database error: ${describe(error).message}`, { cause: error });
}

export function errorText(error: unknown): string {
  return describe(error).message;
}
