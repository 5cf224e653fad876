import {
  MAX_ONE_OF_ITEMS,
  NO_VALUE_OPERATORS,
  ONE_OF_OPERATORS,
  OPERATORS_BY_TYPE,
} from '@ensign/core/model';
import type { ComparisonType } from '../api/types.ts';

// What the constraint form offers per comparison type: the operators Flipt's API accepts for it
// (from @ensign/core's model, the server's own table), labelled for people.

export const TYPE_LABELS: Record<ComparisonType, string> = {
  STRING_COMPARISON_TYPE: 'String',
  NUMBER_COMPARISON_TYPE: 'Number',
  BOOLEAN_COMPARISON_TYPE: 'Boolean',
  DATETIME_COMPARISON_TYPE: 'Date-time',
  ENTITY_ID_COMPARISON_TYPE: 'Entity id',
};

const LABELS: Record<string, string> = {
  eq: '==',
  neq: '!=',
  lt: '<',
  lte: '<=',
  gt: '>',
  gte: '>=',
  empty: 'is empty',
  notempty: 'is not empty',
  true: 'is true',
  false: 'is false',
  present: 'is present',
  notpresent: 'is not present',
  prefix: 'has prefix',
  suffix: 'has suffix',
  isoneof: 'is one of',
  isnotoneof: 'is not one of',
  contains: 'contains',
  notcontains: 'does not contain',
};

export const operatorLabel = (op: string): string => LABELS[op] ?? op;

export function operatorsFor(type: ComparisonType): string[] {
  const allowed = [...OPERATORS_BY_TYPE[type]];
  // Flipt's API accepts "one of" for date-times but its matcher never matches them: not offered.
  return type === 'DATETIME_COMPARISON_TYPE' ? allowed.filter((op) => !ONE_OF_OPERATORS.has(op)) : allowed;
}

export const needsValue = (op: string): boolean => !NO_VALUE_OPERATORS.has(op);
export const isOneOf = (op: string): boolean => ONE_OF_OPERATORS.has(op);

/** The value Flipt stores for a "one of" list: a JSON array of strings, or numbers for NUMBER. */
export function oneOfValue(
  type: ComparisonType,
  items: readonly string[],
): { value?: string; problem?: string } {
  const cleaned = items.map((s) => s.trim()).filter(Boolean);
  if (cleaned.length === 0) return { problem: 'add at least one item' };
  if (cleaned.length > MAX_ONE_OF_ITEMS) return { problem: `at most ${MAX_ONE_OF_ITEMS} items` };
  if (type === 'NUMBER_COMPARISON_TYPE') {
    const numbers = cleaned.map(Number);
    if (numbers.some((n) => !Number.isFinite(n))) return { problem: 'every item must be a number' };
    return { value: JSON.stringify(numbers) };
  }
  return { value: JSON.stringify(cleaned) };
}

export function oneOfItems(value: string): string[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.map(String) : [];
  } catch {
    return [];
  }
}

/** A datetime-local input's value (local time) as RFC 3339 in UTC, as Flipt stores it. */
export function localToRfc3339(local: string): string {
  const d = new Date(local);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.000Z$/, 'Z');
}

/** A stored RFC 3339 value back into a datetime-local input's format (local time). */
export function rfc3339ToLocal(value: string): string {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}
