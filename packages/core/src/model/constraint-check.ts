import { parseGoFloat } from '../evaluation/go-float.ts';
import { normalizeDatetime, oneOfProblem } from '../features/constraint-values.ts';
import type { ComparisonType } from './enums.ts';
import {
  FILE_OPERATORS_BY_TYPE,
  NO_VALUE_OPERATORS,
  ONE_OF_OPERATORS,
  OPERATORS_BY_TYPE,
} from './operators.ts';

// The one rule set for a constraint, shared by feature files (`ensign validate`, local storage),
// import and the management API (REST, gRPC, Connect). Flipt checks operators per type, requires
// a value unless the operator compares nothing, checks `isoneof` arrays and normalises DATETIME
// values on write. We also reject NUMBER values that Go's ParseFloat (what Flipt's evaluator
// uses) cannot read, and impossible dates: such a constraint could never match, and Flipt's own
// schema and evaluator disagree about them (see docs/validation.md).

export interface ConstraintInput {
  type: ComparisonType;
  property: string;
  operator: string;
  value: string;
}

/** Which field is wrong and why, in words that fit after `invalid field <field>: `. */
export interface ConstraintProblem {
  field: 'type' | 'property' | 'operator' | 'value';
  reason: string;
}

export type ConstraintCheck =
  | { ok: true; operator: string; value: string }
  | { ok: false; problem: ConstraintProblem };

/**
 * `api` is the management API's operator table; `file` is the feature files' wider one (ENTITY_ID
 * takes the STRING operators there), so files that load in Flipt load here too.
 */
export type OperatorTable = 'api' | 'file';

const fail = (field: ConstraintProblem['field'], reason: string): ConstraintCheck => ({
  ok: false,
  problem: { field, reason },
});

/** Checks a constraint and returns the operator and value as they are stored. */
export function checkConstraint(input: ConstraintInput, table: OperatorTable = 'api'): ConstraintCheck {
  const { type, property } = input;
  const operators = (table === 'api' ? OPERATORS_BY_TYPE : FILE_OPERATORS_BY_TYPE)[type];
  if (operators === undefined || type === 'UNKNOWN_COMPARISON_TYPE') {
    return fail('type', `invalid constraint type: "${String(type)}"`);
  }
  if (property === '') return fail('property', 'must not be empty');
  const operator = input.operator.toLowerCase();
  if (operator === '') return fail('operator', 'must not be empty');
  if (!operators.has(operator)) {
    return fail(
      'operator',
      `"${operator}" is not valid for type ${type} (allowed: ${[...operators].join(', ')})`,
    );
  }
  if (type === 'ENTITY_ID_COMPARISON_TYPE' && property !== 'entityId') {
    return fail('property', `must be "entityId" for ENTITY_ID_COMPARISON_TYPE (got "${property}")`);
  }
  if (NO_VALUE_OPERATORS.has(operator)) return { ok: true, operator, value: '' };
  const value = input.value;
  if (value === '') return fail('value', 'must not be empty');
  if (ONE_OF_OPERATORS.has(operator)) {
    // DATETIME takes the NUMBER operators but its matcher never matches a list (Flipt does the same).
    const itemType =
      type === 'NUMBER_COMPARISON_TYPE'
        ? 'number'
        : type === 'DATETIME_COMPARISON_TYPE'
          ? undefined
          : 'string';
    const problem = itemType && oneOfProblem(value, itemType);
    return problem ? fail('value', problem) : { ok: true, operator, value };
  }
  if (type === 'DATETIME_COMPARISON_TYPE') {
    const normalized = normalizeDatetime(value);
    return normalized === undefined
      ? fail('value', `"${value}" is not a valid DATETIME: use RFC 3339 (2024-01-31T10:00:00Z) or YYYY-MM-DD`)
      : { ok: true, operator, value: normalized };
  }
  if (type === 'NUMBER_COMPARISON_TYPE' && parseGoFloat(value) === undefined) {
    return fail('value', `"${value}" is not a number`);
  }
  return { ok: true, operator, value };
}
