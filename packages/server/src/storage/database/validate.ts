import { type ConstraintInput, checkConstraint, invalidArgument, KEY_PATTERN } from '@ensign/core';

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
 * Checks a constraint with the rule set every path shares (core's checkConstraint) and returns
 * the operator and value to store.
 */
export function normaliseConstraint(input: ConstraintInput): { operator: string; value: string } {
  const checked = checkConstraint(input, 'api');
  if (!checked.ok) throw invalidField(checked.problem.field, checked.problem.reason);
  return { operator: checked.operator, value: checked.value };
}
