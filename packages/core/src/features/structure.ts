import type { z } from 'zod';
import { conformsToSchema } from './conforms.ts';
import { describePath, didYouMean, getAt, typeName } from './describe.ts';
import type { ParsedDocument } from './parse.ts';
import { featureSchemas } from './schema.ts';
import type { Path, Problem } from './types.ts';

// Runs the zod schema and rewrites each issue as a sentence naming the flag/segment involved,
// at the line of the offending key (or of the item missing a field).

type Issue = z.core.$ZodIssue;

let fields: Record<string, string[]> | undefined;

/** Field names per kind of item, for "did you mean"; from the schemas, so only on a problem. */
function fieldsOf(kind: string): string[] | undefined {
  if (!fields) {
    const s = featureSchemas();
    fields = {
      document: Object.keys(s.document.shape),
      namespace: ['key', 'name', 'description'],
      flags: Object.keys(s.flag.shape),
      variants: Object.keys(s.variant.shape),
      rules: Object.keys(s.rule.shape),
      distributions: Object.keys(s.distribution.shape),
      rollouts: Object.keys(s.rollout.shape),
      segments: Object.keys(s.segment.shape),
      constraints: Object.keys(s.constraint.shape),
      ruleSegment: ['keys', 'operator'],
      rolloutSegment: ['key', 'keys', 'operator', 'value'],
      threshold: ['percentage', 'value'],
    };
  }
  return fields[kind];
}

function knownFields(path: Path): string[] {
  const last = path[path.length - 1];
  if (path.length === 0) return fieldsOf('document')!;
  if (last === 'segment')
    return path[path.length - 3] === 'rules' ? fieldsOf('ruleSegment')! : fieldsOf('rolloutSegment')!;
  if (typeof last === 'string') return fieldsOf(last) ?? [];
  return fieldsOf(String(path[path.length - 2])) ?? [];
}

const EXPECTED: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping',
  record: 'a mapping',
};

const KEY_HINT = 'keys may contain only letters, digits, "-", "_" and ","';

export function structuralProblems(doc: ParsedDocument, value: unknown): Problem[] {
  if (conformsToSchema(value)) return [];
  const result = featureSchemas().document.safeParse(value);
  if (result.success) return [];
  const problems: Problem[] = [];
  const report = (path: Path, message: string) =>
    problems.push({ file: doc.file, line: doc.lineAt(path), message });

  const visit = (issue: Issue, base: Path) => {
    const path: Path = [...base, ...issue.path.filter((p) => typeof p !== 'symbol')] as Path;
    const parent = path.slice(0, -1);
    const field = path[path.length - 1];
    const input = getAt(value, path);
    const subject = typeof field === 'number' ? describePath(value, path) : describePath(value, parent);
    const fieldText = typeof field === 'string' ? ` field "${field}"` : '';
    switch (issue.code) {
      case 'unrecognized_keys':
        for (const key of issue.keys) {
          report(
            [...path, key],
            `${describePath(value, path)} has unknown field "${key}"${didYouMean(key, knownFields(path))}`,
          );
        }
        return;
      case 'invalid_type':
        if (path.length === 0)
          return report(path, 'document must be a mapping with version, namespace, flags and segments');
        if (input === undefined)
          return report(parent, `${subject} is missing required field "${String(field)}"`);
        if (field === 'value' && (typeof input === 'number' || typeof input === 'boolean')) {
          return report(
            path,
            `${subject} field "value" must be a string: quote it, e.g. value: "${String(input)}"`,
          );
        }
        return report(
          path,
          `${subject}${fieldText} must be ${EXPECTED[issue.expected] ?? issue.expected} (got ${typeName(input)})`,
        );
      case 'invalid_value': {
        if (input === undefined)
          return report(parent, `${subject} is missing required field "${String(field)}"`);
        const allowed = issue.values.map(String);
        const hint = typeof input === 'string' ? didYouMean(input, allowed) : '';
        return report(
          path,
          `${subject}${fieldText} has invalid value ${JSON.stringify(input)}${hint || ` (allowed: ${allowed.join(', ')})`}`,
        );
      }
      case 'invalid_format': {
        const owner = path[path.length - 3];
        const noun =
          path[0] === 'namespace'
            ? 'namespace key'
            : field === 'key' && owner !== 'rollouts'
              ? `${String(owner).replace(/s$/, '')} key`
              : `${subject} segment key`;
        return report(path, `${noun} ${JSON.stringify(input)} is invalid: ${KEY_HINT}`);
      }
      case 'too_small':
        if (issue.origin === 'array')
          return report(path, `${subject}${fieldText} must list at least one segment key`);
        return report(path, `${subject}${fieldText} must not be empty`);
      case 'invalid_union': {
        // Pick the alternative matching the value's shape (string vs mapping) and report its issues.
        const branch = issue.errors.find((branchIssues) =>
          branchIssues.every((i) => !(i.path.length === 0 && i.code === 'invalid_type')),
        );
        if (branch) {
          for (const inner of branch) visit(inner, path);
          return;
        }
        const shape =
          field === 'namespace'
            ? 'a key or a mapping with key, name and description'
            : 'a segment key or a mapping with keys and operator';
        return report(path, `${subject}${fieldText} must be ${shape} (got ${typeName(input)})`);
      }
      default:
        return report(path, `${subject}${fieldText}: ${issue.message}`);
    }
  };
  for (const issue of result.error.issues) visit(issue, []);
  return problems;
}
