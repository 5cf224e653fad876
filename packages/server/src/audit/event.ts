import type { Caller } from '../auth/index.ts';

// Flipt's audit event, version 0.2: what happened (type + action), who did it (actor), the
// request that did it (payload), when, and whether it went through.

export type AuditType =
  | 'flag'
  | 'variant'
  | 'segment'
  | 'constraint'
  | 'rule'
  | 'distribution'
  | 'namespace'
  | 'rollout'
  | 'token';
export type AuditAction = 'created' | 'updated' | 'deleted';

export interface Actor {
  authentication: string;
  ip: string;
  email?: string;
  name?: string;
  picture?: string;
}

export interface AuditEvent {
  version: '0.2';
  type: AuditType;
  action: AuditAction;
  metadata: { actor: Actor };
  payload: unknown;
  timestamp: string;
  status: 'success';
}

/** `token` for METHOD_TOKEN; `none` without authentication. Profile fields from the method's metadata. */
export function actorOf(caller: Caller | undefined): Actor {
  const identity = caller?.identity;
  const ip = caller?.ip ?? '';
  if (!identity) return { authentication: 'none', ip };
  const method = identity.method.replace(/^METHOD_/, '').toLowerCase();
  const actor: Actor = { authentication: method, ip };
  // Flipt names people (OIDC, GitHub, JWT), not tokens.
  if (method === 'token') return actor;
  for (const field of ['email', 'name', 'picture'] as const) {
    const value = identity.metadata[`io.flipt.auth.${method}.${field}`];
    if (value) actor[field] = value;
  }
  return actor;
}

/** `createVariant` → variant created; `orderRules` → rule updated (Flipt's mapping). */
export function kindOfWrite(operation: string): { type: AuditType; action: AuditAction } {
  const match = /^(create|update|delete|order)([A-Z][a-z]+?)s?$/.exec(operation);
  if (!match) throw new Error(`not a write operation: ${operation}`);
  const verb = match[1] === 'create' ? 'created' : match[1] === 'delete' ? 'deleted' : 'updated';
  return { type: match[2]!.toLowerCase() as AuditType, action: verb };
}

/** `audit.events` entries such as `*:*`, `flag:created`, `*:deleted`. */
export function eventFilter(patterns: readonly string[]): (type: AuditType, action: AuditAction) => boolean {
  const parsed = patterns.map((p) => {
    const [noun = '*', verb = '*'] = p.split(':');
    return { noun, verb };
  });
  return (type, action) =>
    parsed.some(({ noun, verb }) => (noun === '*' || noun === type) && (verb === '*' || verb === action));
}
