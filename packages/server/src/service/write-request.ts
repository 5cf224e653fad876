import { type DescMessage, type MessageShape, toJson } from '@bufbuild/protobuf';
import { invalidArgument } from '@ensign/core';
import { namespaceKeyOf } from './namespace.ts';

// The one typed write path: REST decodes its body into the same protobuf request message that
// gRPC and Connect receive, and all three turn it into the store's request here. The store speaks
// Flipt's JSON shapes (lowerCamelCase, enums by name), which is protobuf's JSON mapping of these
// very messages, so the conversion is `toJson` plus the checks protobuf itself leaves open.

/** Struct-like well-known types hold free JSON: nothing inside them is a field of ours. */
const FREE_JSON = new Set(['google.protobuf.Struct', 'google.protobuf.Value', 'google.protobuf.ListValue']);

/**
 * proto3 enums are open: any int32 decodes, and `toJson` writes an unknown one as a number. Flipt's
 * stores would then save a meaningless value, so an enum number with no name is refused here.
 */
function rejectUnknownEnums(desc: DescMessage, json: Record<string, unknown>): void {
  for (const field of desc.fields) {
    const value = json[field.jsonName];
    if (value === undefined || value === null) continue;
    if (field.fieldKind === 'enum' && typeof value === 'number') {
      throw invalidArgument(`unknown value ${value} for enum ${field.enum.typeName}`);
    }
    if (
      field.fieldKind === 'message' &&
      !FREE_JSON.has(field.message.typeName) &&
      typeof value === 'object'
    ) {
      rejectUnknownEnums(field.message, value as Record<string, unknown>);
    }
  }
}

/**
 * A decoded write request as the store's request: every field present (proto3 has no "unset"
 * scalar; the store expects "" / 0 / false), unset messages (metadata, a rollout's other rule)
 * absent, and the namespace resolved (empty means `default`).
 */
export function storeRequestOf<Desc extends DescMessage>(
  desc: Desc,
  message: MessageShape<Desc>,
): Record<string, unknown> {
  const request = toJson(desc, message, { alwaysEmitImplicit: true }) as Record<string, unknown>;
  rejectUnknownEnums(desc, request);
  if ('namespaceKey' in request) request['namespaceKey'] = namespaceKeyOf(request['namespaceKey'] as string);
  return request;
}
