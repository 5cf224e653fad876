import { invalidArgument, PayloadTooLargeError } from '../errors/index.ts';

// Request bodies as Flipt's gateway reads them (docs/http-api.md): JSON whatever the
// Content-Type (the @flipt-io/flipt SDK sends text/plain), an empty body is an empty request,
// camelCase or snake_case field names, unknown fields ignored, `null` means "not set", and a
// value of the wrong JSON type is a 400. Reading the bytes is the transport's job.

export const TYPE_MISMATCH = 'invalid values for key(s) in json body';

export type FieldKind =
  | 'string'
  | 'enum'
  | 'bool'
  | 'int'
  | 'number'
  | 'stringMap'
  | 'stringArray'
  | 'object'
  | { readonly message: Schema }
  | { readonly messages: Schema };

/** Canonical (camelCase) field name → kind. */
export type Schema = Readonly<Record<string, FieldKind>>;

/**
 * No request body Flipt defines nests anywhere near this deep; past it, every later recursive
 * step (protobuf conversion, logging, storage) is a risk, so the body is refused up front.
 */
export const MAX_JSON_DEPTH = 64;

/**
 * The nesting depth of a parsed JSON value; stops past `stopAt`. Every request body goes through
 * this, so it allocates nothing: a recursive walk, whose depth is bounded by `stopAt` (at most
 * MAX_WALK_DEPTH, far below what the call stack holds).
 */
export function jsonDepth(value: unknown, stopAt = MAX_WALK_DEPTH): number {
  return depthFrom(value, 0, Math.min(stopAt, MAX_WALK_DEPTH));
}

const MAX_WALK_DEPTH = 1_000;

function depthFrom(item: unknown, depth: number, stopAt: number): number {
  if (item === null || typeof item !== 'object') return depth;
  const level = depth + 1;
  if (level > stopAt) return level;
  let deepest = level;
  if (Array.isArray(item)) {
    for (let i = 0; i < item.length; i++) {
      const below = depthFrom(item[i], level, stopAt);
      if (below > deepest) deepest = below;
      if (deepest > stopAt) return deepest;
    }
    return deepest;
  }
  const record = item as Record<string, unknown>;
  for (const key in record) {
    const below = depthFrom(record[key], level, stopAt);
    if (below > deepest) deepest = below;
    if (deepest > stopAt) return deepest;
  }
  return deepest;
}

const decoder = new TextDecoder('utf-8', { fatal: false });

/** A request body's JSON, or undefined when it is empty or blank. */
export function parseJsonBody(bytes: Uint8Array): unknown {
  if (bytes.byteLength === 0) return undefined;
  const text = decoder.decode(bytes);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    if (text.trim() === '') return undefined;
    throw invalidArgument('invalid JSON in request body');
  }
  if (typeof value === 'object' && value !== null && jsonDepth(value, MAX_JSON_DEPTH) > MAX_JSON_DEPTH) {
    throw invalidArgument(`invalid JSON in request body: nested deeper than ${MAX_JSON_DEPTH} levels`);
  }
  return value;
}

const snakeCache = new WeakMap<Schema, Map<string, string>>();

/** Both spellings of every field: `flagKey` and `flag_key`. */
function namesOf(schema: Schema): Map<string, string> {
  let names = snakeCache.get(schema);
  if (!names) {
    names = new Map();
    for (const key of Object.keys(schema)) {
      names.set(key, key);
      names.set(
        key.replace(/[A-Z]/g, (ch) => '_' + ch.toLowerCase()),
        key,
      );
    }
    snakeCache.set(schema, names);
  }
  return names;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function decodeValue(kind: FieldKind, v: unknown): unknown {
  switch (kind) {
    case 'string':
      if (typeof v === 'string') return v;
      break;
    case 'enum':
      // protojson takes an enum by name or by number.
      if (typeof v === 'string' || (typeof v === 'number' && Number.isInteger(v))) return v;
      break;
    case 'bool':
      if (typeof v === 'boolean') return v;
      break;
    case 'int': {
      // protojson accepts integers as numbers or as decimal strings.
      const n = typeof v === 'string' && /^-?\d{1,10}$/.test(v) ? Number(v) : v;
      if (typeof n === 'number' && Number.isInteger(n) && n >= -2147483648 && n <= 2147483647) return n;
      break;
    }
    case 'number': {
      const n = typeof v === 'string' && v.trim() !== '' ? Number(v) : v;
      if (typeof n === 'number' && !Number.isNaN(n)) return n;
      break;
    }
    case 'stringMap': {
      if (!isPlainObject(v)) break;
      const out: Record<string, string> = {};
      for (const key of Object.keys(v)) {
        const item = v[key];
        if (item === null) continue;
        if (typeof item !== 'string') throw invalidArgument(TYPE_MISMATCH);
        out[key] = item;
      }
      return out;
    }
    case 'stringArray':
      if (Array.isArray(v) && v.every((s) => typeof s === 'string')) return v;
      break;
    case 'object':
      if (isPlainObject(v)) return v;
      break;
    default:
      if ('message' in kind) return decodeMessage(v, kind.message);
      if (Array.isArray(v)) return v.map((item) => decodeMessage(item, kind.messages));
  }
  throw invalidArgument(TYPE_MISMATCH);
}

/**
 * Decodes a parsed JSON value into the canonical request shape. Fields absent or null are left
 * out; callers apply Flipt's defaults.
 */
export function decodeMessage<T>(value: unknown, schema: Schema): T {
  const out: Record<string, unknown> = {};
  if (value === undefined || value === null) return out as T;
  if (!isPlainObject(value)) throw invalidArgument(TYPE_MISMATCH);
  const names = namesOf(schema);
  for (const key in value) {
    const field = names.get(key);
    if (field === undefined) continue;
    const v = value[key];
    if (v === null || v === undefined) continue;
    out[field] = decodeValue(schema[field]!, v);
  }
  return out as T;
}

/**
 * A web Request's body, refused past `limit` bytes: by its declared length when it has one (the
 * HTTP layer frames the body by it), else counted while reading so it is never buffered whole.
 */
export async function readBodyLimited(request: Request, limit: number): Promise<Uint8Array> {
  const declared = request.headers.get('content-length');
  if (declared !== null) {
    if (Number(declared) > limit) throw new PayloadTooLargeError(limit);
    return new Uint8Array(await request.arrayBuffer());
  }
  const stream = request.body;
  if (!stream) return new Uint8Array(0);
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > limit) {
      await reader.cancel().catch(() => {});
      throw new PayloadTooLargeError(limit);
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const chunk of chunks) {
    out.set(chunk, at);
    at += chunk.byteLength;
  }
  return out;
}
