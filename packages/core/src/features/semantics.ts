import { checkConstraint as checkConstraintRules } from '../model/constraint-check.ts';
import type { ComparisonType } from '../model/enums.ts';
import { FILE_OPERATORS_BY_TYPE, NO_VALUE_OPERATORS, ONE_OF_OPERATORS } from '../model/operators.ts';
import { describePath, didYouMean, isRecord } from './describe.ts';
import type { ParsedDocument } from './parse.ts';
import type { Path, Problem } from './types.ts';

// Rules the schema cannot express: version gates, flag type vs rules/rollouts, ranges,
// duplicate variants, operators per comparison type and constraint values. The document may
// be structurally broken (the schema reports that), so every access is defensive.

const GATES: Record<string, string> = {
  type: '1.1',
  rollouts: '1.1',
  keys: '1.2',
  default: '1.3',
  metadata: '1.3',
};
const ALL_OPERATORS = new Set(Object.values(FILE_OPERATORS_BY_TYPE).flatMap((s) => [...s]));

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const present = (value: unknown) => value !== undefined && value !== null;
const inRange = (n: unknown) => typeof n !== 'number' || (n >= 0 && n <= 100);

export function semanticProblems(
  doc: ParsedDocument,
  value: Record<string, unknown>,
  version: string,
): Problem[] {
  const problems: Problem[] = [];
  const report = (path: Path, message: string) =>
    problems.push({ file: doc.file, line: doc.lineAt(path), message });
  const gate = (path: Path, field: string) => {
    const need = GATES[field]!;
    if (version < need) {
      report(
        [...path, field],
        `${describePath(value, path)} field "${field}" requires version "${need}" or later (document has version "${version}")`,
      );
    }
  };

  list(value['flags']).forEach((flag, f) => {
    if (!isRecord(flag)) return;
    const fp: Path = ['flags', f];
    const name = () => describePath(value, fp);
    if (present(flag['type'])) gate(fp, 'type');
    if (present(flag['metadata'])) gate(fp, 'metadata');
    if (present(flag['rollouts'])) gate(fp, 'rollouts');
    const boolean = flag['type'] === 'BOOLEAN_FLAG_TYPE';
    if (boolean && list(flag['rules']).length > 0) {
      report([...fp, 'rules'], `${name()} is a BOOLEAN_FLAG_TYPE flag and cannot have rules (use rollouts)`);
    }
    if (!boolean && list(flag['rollouts']).length > 0) {
      report(
        [...fp, 'rollouts'],
        `${name()} is a VARIANT_FLAG_TYPE flag and cannot have rollouts (use rules, or set type: BOOLEAN_FLAG_TYPE)`,
      );
    }

    // Key → index of its first variant; its line is looked up only for a duplicate (asking for
    // lines on a file without problems would cost a second parse).
    const firstVariant = new Map<string, number>();
    list(flag['variants']).forEach((variant, v) => {
      if (!isRecord(variant)) return;
      // Paths are spelled out only for a problem: this runs for every variant and distribution.
      const key = variant['key'];
      if (typeof key === 'string') {
        const first = firstVariant.get(key);
        if (first !== undefined) {
          const firstLine = doc.lineAt([...fp, 'variants', first, 'key']);
          report(
            [...fp, 'variants', v, 'key'],
            `${name()} has duplicate variant key "${key}" (first defined at ${doc.file}:${firstLine})`,
          );
        } else {
          firstVariant.set(key, v);
        }
      }
      const def = variant['default'];
      if (present(def)) gate([...fp, 'variants', v], 'default');
      if (def === true && boolean) {
        const vp: Path = [...fp, 'variants', v];
        report(
          [...vp, 'default'],
          `${describePath(value, vp)} cannot be the default: BOOLEAN_FLAG_TYPE flags have no default variant`,
        );
      }
      const attachment = variant['attachment'];
      if (present(attachment) && typeof attachment !== 'object') {
        const vp: Path = [...fp, 'variants', v];
        report(
          [...vp, 'attachment'],
          `${describePath(value, vp)} attachment must be a mapping or a list (got ${typeof attachment})`,
        );
      }
    });

    list(flag['rules']).forEach((rule, r) => {
      if (!isRecord(rule)) return;
      list(rule['distributions']).forEach((dist, d) => {
        if (!isRecord(dist)) return;
        const rollout = dist['rollout'];
        if (!inRange(rollout)) {
          const dp: Path = [...fp, 'rules', r, 'distributions', d];
          report([...dp, 'rollout'], `${describePath(value, dp)} rollout ${rollout} is out of range (0-100)`);
        }
        const variant = dist['variant'];
        if (typeof variant === 'string' && variant !== '' && !firstVariant.has(variant)) {
          const dp: Path = [...fp, 'rules', r, 'distributions', d];
          report(
            [...dp, 'variant'],
            `${describePath(value, dp)} references unknown variant "${variant}"${didYouMean(variant, firstVariant.keys())}`,
          );
        }
      });
    });

    list(flag['rollouts']).forEach((rollout, r) => {
      if (!isRecord(rollout)) return;
      const rp: Path = [...fp, 'rollouts', r];
      const segment = rollout['segment'];
      const threshold = rollout['threshold'];
      if (present(segment) === present(threshold)) {
        report(rp, `${describePath(value, rp)} must have exactly one of "segment" or "threshold"`);
      }
      if (isRecord(segment)) {
        const sp: Path = [...rp, 'segment'];
        if (present(segment['keys'])) gate(sp, 'keys');
        if (present(segment['key']) && present(segment['keys'])) {
          report(sp, `${describePath(value, sp)} must use either "key" or "keys", not both`);
        } else if (!present(segment['key']) && !present(segment['keys'])) {
          report(sp, `${describePath(value, sp)} is missing required field "key" (or "keys")`);
        }
      }
      if (isRecord(threshold) && !inRange(threshold['percentage'])) {
        report(
          [...rp, 'threshold', 'percentage'],
          `${describePath(value, rp)} threshold percentage ${threshold['percentage']} is out of range (0-100)`,
        );
      }
    });
  });

  list(value['segments']).forEach((segment, s) => {
    if (!isRecord(segment)) return;
    list(segment['constraints']).forEach((constraint, c) => {
      if (isRecord(constraint)) checkConstraint(constraint, ['segments', s, 'constraints', c]);
    });
  });

  function checkConstraint(constraint: Record<string, unknown>, cp: Path) {
    const type = constraint['type'] as ComparisonType;
    const operator = constraint['operator'];
    const allowed = FILE_OPERATORS_BY_TYPE[type];
    const name = describePath(value, cp);
    if (!allowed || type === 'UNKNOWN_COMPARISON_TYPE' || typeof operator !== 'string' || operator === '')
      return;
    if (!allowed.has(operator)) {
      if (ALL_OPERATORS.has(operator)) {
        report(
          [...cp, 'operator'],
          `${name} operator "${operator}" is not valid for ${type} (allowed: ${[...allowed].join(', ')})`,
        );
      } else {
        const hint = operator === 'le' ? ' (did you mean "lte"?)' : didYouMean(operator, allowed);
        report([...cp, 'operator'], `${name} has unknown operator "${operator}"${hint}`);
      }
      return;
    }
    if (
      type === 'ENTITY_ID_COMPARISON_TYPE' &&
      typeof constraint['property'] === 'string' &&
      constraint['property'] !== 'entityId'
    ) {
      report(
        [...cp, 'property'],
        `${name} property must be "entityId" for ENTITY_ID_COMPARISON_TYPE (got "${constraint['property']}")`,
      );
    }
    if (NO_VALUE_OPERATORS.has(operator)) return;
    const v = constraint['value'];
    if (v === undefined || v === null || v === '') {
      report(present(v) ? [...cp, 'value'] : cp, `${name} operator "${operator}" requires a value`);
      return;
    }
    if (typeof v !== 'string') return; // reported by the schema
    // The property and operator were reported above; only the value's verdict is wanted here.
    const checked = checkConstraintRules({ type, property: 'entityId', operator, value: v }, 'file');
    if (!checked.ok && checked.problem.field === 'value') {
      const subject = ONE_OF_OPERATORS.has(operator) ? `${operator} value` : 'value';
      report([...cp, 'value'], `${name} ${subject} ${checked.problem.reason}`);
    }
  }
  return problems;
}
