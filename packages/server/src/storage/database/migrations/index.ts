import type { Kysely } from 'kysely';
import type { Engine } from '../../../config/database-url.ts';
import type { Tables } from '../tables.ts';
import { initialSchema } from './001-initial-schema.ts';
import { authentications } from './002-authentications.ts';
import { caseSensitiveKeys } from './003-case-sensitive-keys.ts';
import { auditEvents } from './004-audit-events.ts';
import { auditSegmentKey } from './005-audit-segment-key.ts';

export interface Migration {
  version: number;
  name: string;
  up(db: Kysely<Tables>, engine: Engine): Promise<void>;
}

/** Every schema version, oldest first. Append only: a released migration never changes. */
export const MIGRATIONS: readonly Migration[] = [
  initialSchema,
  authentications,
  caseSensitiveKeys,
  auditEvents,
  auditSegmentKey,
];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.at(-1)!.version;

/** The name Kysely's migration table records: `001-initial-schema`; sorts like the versions. */
export function migrationName(migration: Migration): string {
  return `${String(migration.version).padStart(3, '0')}-${migration.name.replaceAll(' ', '-')}`;
}
