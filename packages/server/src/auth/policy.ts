import { parse as parseYaml } from 'yaml';
import type { Access, Action, Resource, Subject } from './access.ts';
import type { Authentication, AuthMethod } from './authentication.ts';

// Authorization policies as a small declarative file in place of Flipt's Rego: roles are matched
// on the caller's auth method and metadata (which holds JWT claims and OIDC/GitHub attributes),
// and each role allows actions on resources (and subjects) in namespaces. The input is Flipt's:
// `request {namespace, resource, subject, action}` plus the authentication. See docs/authorization.md.

export interface Rule {
  resources: ReadonlySet<Resource> | 'any';
  subjects: ReadonlySet<Subject> | 'any';
  actions: ReadonlySet<Action> | 'any';
  namespaces: ReadonlySet<string> | 'any';
}

export interface Role {
  name: string;
  methods: ReadonlySet<AuthMethod> | 'any';
  /** Every listed key must hold one of its values. */
  metadata: ReadonlyMap<string, ReadonlySet<string>>;
  allow: readonly Rule[];
}

export interface Policy {
  roles: readonly Role[];
}

const RESOURCES: readonly Resource[] = ['namespace', 'flag', 'segment', 'authentication'];
const SUBJECTS: readonly Subject[] = [
  'constraint',
  'distribution',
  'flag',
  'namespace',
  'rollout',
  'rule',
  'segment',
  'token',
  'variant',
];
const ACTIONS: readonly Action[] = ['create', 'read', 'update', 'delete'];
const METHODS: Readonly<Record<string, AuthMethod>> = {
  token: 'METHOD_TOKEN',
  oidc: 'METHOD_OIDC',
  kubernetes: 'METHOD_KUBERNETES',
  github: 'METHOD_GITHUB',
  jwt: 'METHOD_JWT',
};

export class PolicyError extends Error {}

function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(where: string, value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value;
  throw new PolicyError(`${where} must be a string or a list of strings`);
}

function onlyKeys(where: string, value: Record<string, unknown>, allowed: readonly string[]): void {
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key))
      throw new PolicyError(`${where}: unknown key "${key}" (expected ${allowed.join(', ')})`);
  }
}

/** A list of names from `known`, or "*" (also the default when absent) for any. */
function choice<T extends string>(
  where: string,
  value: unknown,
  known: readonly T[],
): ReadonlySet<T> | 'any' {
  if (value === undefined) return 'any';
  const names = strings(where, value);
  if (names.includes('*')) return 'any';
  for (const name of names) {
    if (!known.includes(name as T))
      throw new PolicyError(`${where}: unknown "${name}" (expected ${known.join(', ')} or *)`);
  }
  return new Set(names as T[]);
}

function parseRule(where: string, raw: unknown): Rule {
  if (!isMapping(raw)) throw new PolicyError(`${where} must be a mapping`);
  onlyKeys(where, raw, ['resources', 'subjects', 'actions', 'namespaces']);
  const namespaces =
    raw['namespaces'] === undefined ? ['*'] : strings(`${where}.namespaces`, raw['namespaces']);
  return {
    resources: choice(`${where}.resources`, raw['resources'], RESOURCES),
    subjects: choice(`${where}.subjects`, raw['subjects'], SUBJECTS),
    actions: choice(`${where}.actions`, raw['actions'], ACTIONS),
    namespaces: namespaces.includes('*') ? 'any' : new Set(namespaces),
  };
}

function parseRole(where: string, raw: unknown): Role {
  if (!isMapping(raw)) throw new PolicyError(`${where} must be a mapping`);
  onlyKeys(where, raw, ['name', 'match', 'allow']);
  const name = typeof raw['name'] === 'string' ? raw['name'] : where;
  const match = raw['match'] ?? {};
  if (!isMapping(match)) throw new PolicyError(`${where}.match must be a mapping`);
  onlyKeys(`${where}.match`, match, ['method', 'metadata']);
  let methods: ReadonlySet<AuthMethod> | 'any' = 'any';
  if (match['method'] !== undefined) {
    methods = new Set(
      strings(`${where}.match.method`, match['method']).map((m) => {
        const method =
          METHODS[m.toLowerCase()] ??
          (Object.values(METHODS).includes(m as AuthMethod) ? (m as AuthMethod) : undefined);
        if (!method)
          throw new PolicyError(
            `${where}.match.method: unknown "${m}" (expected ${Object.keys(METHODS).join(', ')})`,
          );
        return method;
      }),
    );
  }
  const metadata = new Map<string, ReadonlySet<string>>();
  const rawMetadata = match['metadata'] ?? {};
  if (!isMapping(rawMetadata)) throw new PolicyError(`${where}.match.metadata must be a mapping`);
  for (const [key, values] of Object.entries(rawMetadata)) {
    metadata.set(key, new Set(strings(`${where}.match.metadata.${key}`, values)));
  }
  const allow = raw['allow'];
  if (!Array.isArray(allow)) throw new PolicyError(`${where}.allow must be a list of rules`);
  return { name, methods, metadata, allow: allow.map((rule, i) => parseRule(`${where}.allow[${i}]`, rule)) };
}

/** Parses a policy file's text (YAML or JSON); throws PolicyError naming the bad part. */
export function parsePolicy(text: string): Policy {
  let document: unknown;
  try {
    document = parseYaml(text);
  } catch (error) {
    throw new PolicyError(error instanceof Error ? error.message.split('\n')[0]! : String(error));
  }
  if (!isMapping(document)) throw new PolicyError('the policy must be a mapping with a "roles" list');
  onlyKeys('policy', document, ['version', 'roles']);
  const roles = document['roles'];
  if (!Array.isArray(roles)) throw new PolicyError('roles must be a list');
  return { roles: roles.map((role, i) => parseRole(`roles[${i}]`, role)) };
}

const has = <T>(set: ReadonlySet<T> | 'any', value: T) => set === 'any' || set.has(value);

function matches(role: Role, auth: Authentication): boolean {
  if (!has(role.methods, auth.method)) return false;
  for (const [key, values] of role.metadata) {
    const value = auth.metadata[key];
    if (value === undefined || !values.has(value)) return false;
  }
  return true;
}

function covers(rule: Rule, access: Access): boolean {
  return (
    has(rule.resources, access.resource) &&
    has(rule.subjects, access.subject) &&
    has(rule.actions, access.action) &&
    // Token management is not namespaced.
    (access.namespace === undefined || has(rule.namespaces, access.namespace))
  );
}

/** Flipt's `allow`. */
export function allows(policy: Policy, auth: Authentication, access: Access): boolean {
  return policy.roles.some((role) => matches(role, auth) && role.allow.some((rule) => covers(rule, access)));
}

/** Flipt's `viewable_namespaces`: 'any', or the namespaces whose namespace record may be read. */
export function viewableNamespaces(policy: Policy, auth: Authentication): ReadonlySet<string> | 'any' {
  const out = new Set<string>();
  for (const role of policy.roles) {
    if (!matches(role, auth)) continue;
    for (const rule of role.allow) {
      if (!has(rule.resources, 'namespace') || !has(rule.actions, 'read')) continue;
      if (rule.namespaces === 'any') return 'any';
      for (const ns of rule.namespaces) out.add(ns);
    }
  }
  return out;
}
