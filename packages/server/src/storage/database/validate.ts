import {
  type ComparisonType,
  invalidArgument,
  KEY_PATTERN,
  MAX_ONE_OF_ITEMS,
  NO_VALUE_OPERATORS,
  ONE_OF_OPERATORS,
  OPERATORS_BY_TYPE,
} from '@ensign/core';

// Field validation with Flipt's wording (`invalid field <name>: <reason>`, docs/http-api.md). The
// transports may check the same things first; the store checks again because import and any
// other caller write through it directly.

const MAX_ATTACHMENT_BYTES = 1000 * 1024;

export const invalidField = (field: string, reason: string) =>
  invalidArgument(`invalid field ${field}: ${reason}`);

export function requireValue(field: string, value: string): void {
  if (value === '') throw invalidField(field, 'must not be empty');
}

/** Namespace, flag and segment keys: non-empty and `^[-_,A-Za-z0-9]+$`. */
export function requireKey(field: string, value: string): void {
  requireValue(field, value);
  if (!KEY_PATTERN.test(value)) throw invalidField(field, 'contains invalid characters');
}

/** Empty means none (stored NULL); otherwise JSON of at most 1000 KB, stored compacted. */
export function normaliseAttachment(attachment: string): string | null {
  if (attachment === '') return null;
  if (Buffer.byteLength(attachment) > MAX_ATTACHMENT_BYTES) {
    throw invalidField('attachment', 'must be less than 1000 KB');
  }
  try {
    return JSON.stringify(JSON.parse(attachment));
  } catch {
    throw invalidField('attachment', 'must be a json string');
  }
}

export function normaliseMetadata(metadata: Record<string, unknown> | undefined): string | null {
  if (metadata === undefined || Object.keys(metadata).length === 0) return null;
  return JSON.stringify(metadata);
}

export function requireRange(field: string, value: number, min: number, max: number): void {
  if (!Number.isFinite(value) || value < min || value > max) {
    throw invalidField(field, `must be within range [${min}, ${max}]`);
  }
}

/**
 * Checks a constraint the way Flipt's API does and returns the value to store: cleared for
 * operators that compare nothing, RFC 3339 in UTC (or a bare date) for DATETIME.
 */
export function normaliseConstraint(input: {
  type: ComparisonType;
  property: string;
  operator: string;
  value: string;
}): { operator: string; value: string } {
  const { type, property } = input;
  const operator = input.operator.toLowerCase();
  if (type === 'UNKNOWN_COMPARISON_TYPE') throw invalidField('type', 'must be a known comparison type');
  requireValue('property', property);
  requireValue('operator', operator);
  if (!OPERATORS_BY_TYPE[type].has(operator)) {
    throw invalidField('operator', `"${operator}" is not valid for type ${type}`);
  }
  if (type === 'ENTITY_ID_COMPARISON_TYPE' && property !== 'entityId') {
    throw invalidField('property', 'must be "entityId" for ENTITY_ID_COMPARISON_TYPE');
  }
  if (NO_VALUE_OPERATORS.has(operator)) return { operator, value: '' };
  const value = input.value;
  requireValue('value', value);
  if (ONE_OF_OPERATORS.has(operator)) {
    checkOneOf(type, value);
    return { operator, value };
  }
  if (type === 'DATETIME_COMPARISON_TYPE') return { operator, value: normaliseDateTime(value) };
  if (type === 'NUMBER_COMPARISON_TYPE' && !Number.isFinite(Number(value))) {
    throw invalidField('value', `"${value}" is not a number`);
  }
  return { operator, value };
}

function checkOneOf(type: ComparisonType, value: string): void {
  let items: unknown;
  try {
    items = JSON.parse(value);
  } catch {
    items = undefined;
  }
  const wantNumbers = type === 'NUMBER_COMPARISON_TYPE' || type === 'DATETIME_COMPARISON_TYPE';
  const itemType = wantNumbers ? 'number' : 'string';
  if (!Array.isArray(items) || !items.every((item) => typeof item === itemType)) {
    throw invalidField('value', `must be a JSON array of ${itemType}s`);
  }
  if (items.length > MAX_ONE_OF_ITEMS) {
    throw invalidField('value', `too many values provided (max ${MAX_ONE_OF_ITEMS})`);
  }
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;

/** RFC 3339 → UTC RFC 3339 (fraction kept, trailing zeros dropped like Go); a bare date stays a date. */
export function normaliseDateTime(value: string): string {
  if (DATE_ONLY.test(value) && !Number.isNaN(Date.parse(`${value}T00:00:00Z`))) return value;
  const match = RFC3339.exec(value);
  const parsed = match ? Date.parse(value) : Number.NaN;
  if (!match || Number.isNaN(parsed)) {
    throw invalidField('value', `parsing time "${value}": must be RFC 3339 or YYYY-MM-DD`);
  }
  const iso = new Date(parsed).toISOString().replace(/\.\d+Z$/, 'Z');
  // Keep sub-millisecond digits the Date type cannot hold; Go prints them without trailing zeros.
  const fraction = (match[1] ?? '').replace(/0+$/, '');
  return fraction.length > 1 ? iso.replace(/Z$/, `${fraction}Z`) : iso;
}
