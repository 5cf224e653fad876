import {
  type DescField,
  type DescMessage,
  fromJson,
  type JsonValue,
  type MessageShape,
  ScalarType,
} from '@bufbuild/protobuf';
import { invalidArgument } from '@ensign/core';
import { TYPE_MISMATCH } from './json-body.ts';

// REST management bodies decoded the way Flipt's gateway does (flipt-v1 §3.1), but with the
// generated protobuf schemas: the body is the request message (camelCase or snake_case names),
// unknown fields are ignored, `null` means unset, then path parameters are bound over it as
// grpc-gateway binds them last; bodiless methods (DELETE) bind query parameters instead.
// Errors keep Flipt's wording: a JSON type mismatch is "invalid values for key(s) in json body"
// and an unknown enum name is the legacy jsonpb message `unknown value "\"X\"" for enum T`.

const FREE_JSON = new Set(['google.protobuf.Struct', 'google.protobuf.Value', 'google.protobuf.ListValue']);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function fieldByName(desc: DescMessage, name: string): DescField | undefined {
  return desc.fields.find((f) => f.jsonName === name || f.name === name);
}

/** Go's %q of the raw JSON text, as jsonpb prints it. */
const goQuote = (value: unknown) => JSON.stringify(JSON.stringify(value));

/** A copy of `json` with only the message's own fields (under their JSON names), checked enums. */
function prune(desc: DescMessage, json: Record<string, unknown>): Record<string, JsonValue> {
  const out: Record<string, JsonValue> = {};
  for (const [name, value] of Object.entries(json)) {
    const field = fieldByName(desc, name);
    if (field === undefined || value === undefined) continue;
    if (field.fieldKind === 'enum' && typeof value === 'string') {
      if (!field.enum.values.some((v) => v.name === value)) {
        throw invalidArgument(`unknown value ${goQuote(value)} for enum ${field.enum.typeName}`);
      }
    }
    if (field.fieldKind === 'message' && !FREE_JSON.has(field.message.typeName) && isObject(value)) {
      out[field.jsonName] = prune(field.message, value);
    } else if (field.fieldKind === 'list' && field.listKind === 'message' && Array.isArray(value)) {
      out[field.jsonName] = value.map((item) =>
        isObject(item) ? prune(field.message, item) : item,
      ) as JsonValue;
    } else {
      out[field.jsonName] = value as JsonValue;
    }
  }
  return out;
}

/** strconv.ParseBool, which grpc-gateway uses for query parameters. */
function parseBool(text: string): boolean {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(text)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(text)) return false;
  throw invalidArgument(TYPE_MISMATCH);
}

function queryValue(field: DescField, text: string): JsonValue | undefined {
  if (field.fieldKind !== 'scalar') return undefined;
  if (field.scalar === ScalarType.BOOL) return parseBool(text);
  return text;
}

export interface WriteInput {
  /** The parsed JSON body, or undefined for a bodiless method or an empty body. */
  body: unknown;
  /** Path parameters by their JSON (lowerCamel) field name. */
  params: Record<string, string>;
  /** Query parameters, bound only when the method takes no body. */
  query?: Record<string, string>;
}

export function decodeWriteBody<Desc extends DescMessage>(desc: Desc, input: WriteInput): MessageShape<Desc> {
  const { body } = input;
  if (body !== undefined && body !== null && !isObject(body)) throw invalidArgument(TYPE_MISMATCH);
  const json = isObject(body) ? prune(desc, body) : {};
  for (const [name, text] of Object.entries(input.query ?? {})) {
    const field = fieldByName(desc, name);
    const value = field && queryValue(field, text);
    if (field && value !== undefined) json[field.jsonName] = value;
  }
  for (const [name, value] of Object.entries(input.params)) {
    const field = fieldByName(desc, name);
    if (field) json[field.jsonName] = value;
  }
  try {
    return fromJson(desc, json, { ignoreUnknownFields: false });
  } catch {
    throw invalidArgument(TYPE_MISMATCH);
  }
}
