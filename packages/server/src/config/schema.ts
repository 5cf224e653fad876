import { buildKeyTree, type KeyNode } from './key-tree.ts';
import type { Setting } from './setting.ts';
import { SETTINGS } from './settings.ts';

/**
 * The JSON Schema of config.yml, generated from the settings table, so editors flag what the
 * server would refuse: unknown keys, wrong types, and keys Ensign does not implement yet set to
 * anything but their default. `ensign config schema` prints it; a test checks it agrees with
 * the loader.
 */
export function configSchema(): Record<string, unknown> {
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    title: 'Ensign configuration (Flipt v1 config.yml keys)',
    ...nodeSchema(buildKeyTree(SETTINGS)),
  };
}

function nodeSchema(node: KeyNode): Record<string, unknown> {
  if (node.setting) return settingSchema(node.setting);
  const properties: Record<string, unknown> = {};
  for (const [name, child] of node.children) if (name !== '*') properties[name] = nodeSchema(child);
  const named = node.children.get('*');
  return {
    type: ['object', 'null'],
    properties,
    additionalProperties: named ? nodeSchema(named) : false,
  };
}

/** Shown default: how a user would write the value. */
export function shownDefault(setting: Setting): unknown {
  if (setting.default === undefined) return undefined;
  return setting.kind.show ? setting.kind.show(setting.default) : setting.default;
}

function settingSchema(setting: Setting): Record<string, unknown> {
  const shown = shownDefault(setting);
  const about = {
    description:
      setting.apply || setting.noEffect ? setting.doc : `${setting.doc} (not supported yet by Ensign)`,
    ...(shown === undefined ? {} : { default: shown }),
  };
  let accepted: Record<string, unknown>;
  if (!setting.apply && !setting.noEffect) {
    // Only what asks for nothing: the default, or empty.
    accepted = {
      anyOf: [
        ...(shown === undefined ? [] : [{ const: shown }]),
        { const: '' },
        { const: false },
        { const: 'false' },
        { type: 'array', maxItems: 0 },
        { type: 'object', maxProperties: 0 },
      ],
    };
  } else if (setting.refuse && setting.kind.choices) {
    const allowed = setting.kind.choices.filter((choice) => setting.refuse?.(choice) === undefined);
    accepted = {
      enum: allowed.flatMap((choice) => (typeof choice === 'boolean' ? [choice, String(choice)] : [choice])),
    };
  } else {
    accepted = setting.kind.schema;
  }
  // Absent, null, and (for non-text values) an empty string all mean "unset" to the loader.
  const unset = setting.kind.textual
    ? [{ type: 'null' }]
    : [{ type: 'null' }, { type: 'string', pattern: '^\\s*$' }];
  return { ...about, anyOf: [...unset, accepted] };
}
