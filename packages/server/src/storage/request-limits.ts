import { invalidArgument, jsonDepth } from '@ensign/core';
import type { ManagementStore } from './management-store.ts';

export { jsonDepth } from '@ensign/core';

// Limits every write request meets before any backend sees it, so SQLite, PostgreSQL and MySQL
// give the same 400 instead of each engine's own failure (PostgreSQL refuses NUL bytes in text,
// MySQL and PostgreSQL refuse strings longer than their varchar(255)/varchar(36) columns, SQLite
// takes both). Metadata is bounded too: it is stored and sent back on every read, and deeply
// nested Structs break protobuf readers long before JSON ones.

/** Keys, names, properties and operators live in varchar(255) columns. */
export const MAX_KEY_LENGTH = 255;
/** Ids are UUIDs, stored in varchar(36). */
export const MAX_ID_LENGTH = 36;
/** JSON nesting allowed in flag metadata (each level is two protobuf message levels). */
export const MAX_METADATA_DEPTH = 16;
/** Serialized size allowed for flag metadata. */
export const MAX_METADATA_BYTES = 64 * 1024;

const KEY_FIELDS = new Set([
  'key',
  'namespaceKey',
  'flagKey',
  'segmentKey',
  'segmentKeys',
  'name',
  'property',
  'operator',
]);
const ID_FIELDS = new Set(['id', 'ruleId', 'variantId', 'defaultVariantId', 'ruleIds', 'rolloutIds']);

const invalidField = (field: string, reason: string) => invalidArgument(`invalid field ${field}: ${reason}`);

function checkString(field: string, name: string, value: string): void {
  if (value.includes('\0')) throw invalidField(field, 'must not contain NUL bytes');
  const max = KEY_FIELDS.has(name) ? MAX_KEY_LENGTH : ID_FIELDS.has(name) ? MAX_ID_LENGTH : undefined;
  if (max !== undefined && value.length > max) {
    throw invalidField(field, `must be at most ${max} characters`);
  }
}

function checkMetadata(metadata: unknown): void {
  if (metadata === undefined || metadata === null) return;
  if (jsonDepth(metadata, MAX_METADATA_DEPTH) > MAX_METADATA_DEPTH) {
    throw invalidField('metadata', `must not nest deeper than ${MAX_METADATA_DEPTH} levels`);
  }
  const text = JSON.stringify(metadata);
  if (text.includes('\\u0000')) throw invalidField('metadata', 'must not contain NUL bytes');
  if (Buffer.byteLength(text) > MAX_METADATA_BYTES) {
    throw invalidField('metadata', `must be at most ${MAX_METADATA_BYTES / 1024} KiB as JSON`);
  }
}

/** Throws Flipt's InvalidArgument shape for the first string or metadata that breaks a limit. */
export function checkRequestLimits(request: unknown, path = ''): void {
  if (request === null || typeof request !== 'object') return;
  for (const [name, value] of Object.entries(request)) {
    const field = path === '' ? name : `${path}.${name}`;
    if (name === 'metadata' && path === '') checkMetadata(value);
    else if (typeof value === 'string') checkString(field, name, value);
    else if (Array.isArray(value)) {
      for (const item of value) {
        if (typeof item === 'string') checkString(field, name, item);
        else checkRequestLimits(item, field);
      }
    } else if (typeof value === 'object') checkRequestLimits(value, field);
  }
}

/** The same store with every write's request checked against the limits first. */
export function withRequestLimits(store: ManagementStore): ManagementStore {
  const guarded: Record<string, unknown> = { writable: store.writable };
  for (const [name, method] of Object.entries(store)) {
    if (typeof method !== 'function') continue;
    guarded[name] = (request: unknown) => {
      checkRequestLimits(request);
      return (method as (r: unknown) => Promise<unknown>).call(store, request);
    };
  }
  return guarded as unknown as ManagementStore;
}
