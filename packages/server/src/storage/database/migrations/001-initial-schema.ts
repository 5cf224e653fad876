import type { CreateTableBuilder, Kysely } from 'kysely';
import type { Tables } from '../tables.ts';
import type { Migration } from './index.ts';

// Keys are varchar so MySQL can index them; free text is `text`. Foreign keys are a safety net:
// the store deletes children explicitly, so no behaviour depends on an engine's cascade support.
const KEY = 'varchar(255)';
const ID = 'varchar(36)';
const TIME = 'varchar(32)';
const FLOAT = 'double precision';

type Builder = CreateTableBuilder<string, never>;

function timestamps(table: Builder): Builder {
  return table
    .addColumn('created_at', TIME, (c) => c.notNull())
    .addColumn('updated_at', TIME, (c) => c.notNull());
}

export const initialSchema: Migration = {
  version: 1,
  name: 'initial schema',
  async up(db: Kysely<Tables>) {
    const schema = db.schema;
    await timestamps(
      schema
        .createTable('namespaces')
        .addColumn('key', KEY, (c) => c.primaryKey())
        .addColumn('name', KEY, (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('protected', 'integer', (c) => c.notNull())
        .addColumn('revision', 'integer', (c) => c.notNull())
        .addColumn('state_modified_at', TIME, (c) => c.notNull()),
    ).execute();

    await timestamps(
      schema
        .createTable('flags')
        .addColumn('namespace_key', KEY, (c) => c.notNull().references('namespaces.key').onDelete('cascade'))
        .addColumn('key', KEY, (c) => c.notNull())
        .addColumn('name', KEY, (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('enabled', 'integer', (c) => c.notNull())
        .addColumn('type', 'integer', (c) => c.notNull())
        .addColumn('default_variant_id', ID)
        .addColumn('metadata', 'text')
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('flags_pk', ['namespace_key', 'key']),
    ).execute();

    await timestamps(
      schema
        .createTable('variants')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('namespace_key', KEY, (c) => c.notNull())
        .addColumn('flag_key', KEY, (c) => c.notNull())
        .addColumn('key', KEY, (c) => c.notNull())
        .addColumn('name', KEY, (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('attachment', 'text')
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addUniqueConstraint('variants_key_unique', ['namespace_key', 'flag_key', 'key'])
        .addForeignKeyConstraint(
          'variants_flag_fk',
          ['namespace_key', 'flag_key'],
          'flags',
          ['namespace_key', 'key'],
          (c) => c.onDelete('cascade'),
        ),
    ).execute();

    await timestamps(
      schema
        .createTable('segments')
        .addColumn('namespace_key', KEY, (c) => c.notNull().references('namespaces.key').onDelete('cascade'))
        .addColumn('key', KEY, (c) => c.notNull())
        .addColumn('name', KEY, (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('match_type', 'integer', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addPrimaryKeyConstraint('segments_pk', ['namespace_key', 'key']),
    ).execute();

    await timestamps(
      schema
        .createTable('constraints')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('namespace_key', KEY, (c) => c.notNull())
        .addColumn('segment_key', KEY, (c) => c.notNull())
        .addColumn('type', 'integer', (c) => c.notNull())
        .addColumn('property', KEY, (c) => c.notNull())
        .addColumn('operator', KEY, (c) => c.notNull())
        .addColumn('value', 'text', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull())
        .addForeignKeyConstraint(
          'constraints_segment_fk',
          ['namespace_key', 'segment_key'],
          'segments',
          ['namespace_key', 'key'],
          (c) => c.onDelete('cascade'),
        ),
    ).execute();

    await timestamps(
      schema
        .createTable('rules')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('namespace_key', KEY, (c) => c.notNull())
        .addColumn('flag_key', KEY, (c) => c.notNull())
        .addColumn('rank', 'integer', (c) => c.notNull())
        .addColumn('segment_operator', 'integer', (c) => c.notNull())
        .addForeignKeyConstraint(
          'rules_flag_fk',
          ['namespace_key', 'flag_key'],
          'flags',
          ['namespace_key', 'key'],
          (c) => c.onDelete('cascade'),
        ),
    ).execute();

    await schema
      .createTable('rule_segments')
      .addColumn('rule_id', ID, (c) => c.notNull().references('rules.id').onDelete('cascade'))
      .addColumn('namespace_key', KEY, (c) => c.notNull())
      .addColumn('segment_key', KEY, (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addUniqueConstraint('rule_segments_unique', ['rule_id', 'namespace_key', 'segment_key'])
      // Restrict: a segment a rule uses cannot disappear underneath it (docs/data-model.md).
      .addForeignKeyConstraint('rule_segments_segment_fk', ['namespace_key', 'segment_key'], 'segments', [
        'namespace_key',
        'key',
      ])
      .execute();

    await timestamps(
      schema
        .createTable('distributions')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('namespace_key', KEY, (c) => c.notNull())
        .addColumn('rule_id', ID, (c) => c.notNull().references('rules.id').onDelete('cascade'))
        .addColumn('variant_id', ID, (c) => c.notNull().references('variants.id').onDelete('cascade'))
        .addColumn('rollout', FLOAT, (c) => c.notNull())
        .addColumn('seq', 'integer', (c) => c.notNull()),
    ).execute();

    await timestamps(
      schema
        .createTable('rollouts')
        .addColumn('id', ID, (c) => c.primaryKey())
        .addColumn('namespace_key', KEY, (c) => c.notNull())
        .addColumn('flag_key', KEY, (c) => c.notNull())
        .addColumn('type', 'integer', (c) => c.notNull())
        .addColumn('description', 'text', (c) => c.notNull())
        .addColumn('rank', 'integer', (c) => c.notNull())
        .addForeignKeyConstraint(
          'rollouts_flag_fk',
          ['namespace_key', 'flag_key'],
          'flags',
          ['namespace_key', 'key'],
          (c) => c.onDelete('cascade'),
        ),
    ).execute();

    await schema
      .createTable('rollout_thresholds')
      .addColumn('rollout_id', ID, (c) => c.primaryKey().references('rollouts.id').onDelete('cascade'))
      .addColumn('namespace_key', KEY, (c) => c.notNull())
      .addColumn('percentage', FLOAT, (c) => c.notNull())
      .addColumn('value', 'integer', (c) => c.notNull())
      .execute();

    await schema
      .createTable('rollout_segments')
      .addColumn('rollout_id', ID, (c) => c.primaryKey().references('rollouts.id').onDelete('cascade'))
      .addColumn('namespace_key', KEY, (c) => c.notNull())
      .addColumn('value', 'integer', (c) => c.notNull())
      .addColumn('segment_operator', 'integer', (c) => c.notNull())
      .execute();

    await schema
      .createTable('rollout_segment_references')
      .addColumn('rollout_id', ID, (c) =>
        c.notNull().references('rollout_segments.rollout_id').onDelete('cascade'),
      )
      .addColumn('namespace_key', KEY, (c) => c.notNull())
      .addColumn('segment_key', KEY, (c) => c.notNull())
      .addColumn('position', 'integer', (c) => c.notNull())
      .addUniqueConstraint('rollout_segment_references_unique', [
        'rollout_id',
        'namespace_key',
        'segment_key',
      ])
      .addForeignKeyConstraint(
        'rollout_segment_references_segment_fk',
        ['namespace_key', 'segment_key'],
        'segments',
        ['namespace_key', 'key'],
      )
      .execute();

    // Every lookup the store and the loader make, so no write or load scans a table.
    const indexes: [string, keyof Tables, string[]][] = [
      ['constraints_segment_idx', 'constraints', ['namespace_key', 'segment_key']],
      ['rules_flag_idx', 'rules', ['namespace_key', 'flag_key', 'rank']],
      ['rule_segments_segment_idx', 'rule_segments', ['namespace_key', 'segment_key']],
      ['distributions_rule_idx', 'distributions', ['rule_id']],
      ['distributions_variant_idx', 'distributions', ['variant_id']],
      ['distributions_namespace_idx', 'distributions', ['namespace_key']],
      ['rollouts_flag_idx', 'rollouts', ['namespace_key', 'flag_key', 'rank']],
      ['rollout_thresholds_namespace_idx', 'rollout_thresholds', ['namespace_key']],
      ['rollout_segments_namespace_idx', 'rollout_segments', ['namespace_key']],
      [
        'rollout_segment_references_segment_idx',
        'rollout_segment_references',
        ['namespace_key', 'segment_key'],
      ],
      ['namespaces_created_idx', 'namespaces', ['created_at']],
    ];
    for (const [name, table, columns] of indexes) {
      await schema.createIndex(name).on(table).columns(columns).execute();
    }

    // Flipt's migrations create the protected default namespace; so does ours.
    const now = new Date().toISOString();
    await db
      .insertInto('namespaces')
      .values({
        key: 'default',
        name: 'Default',
        description: 'Default namespace',
        protected: 1,
        revision: 1,
        created_at: now,
        updated_at: now,
        state_modified_at: now,
      })
      .execute();
  },
};
