import { ConfigError } from './config-error.ts';
import type { Setting } from './setting.ts';
import { closest } from './suggest.ts';

/** The settings as a tree of key segments; `*` is a name the user picks (an OIDC provider). */
export interface KeyNode {
  readonly setting?: Setting;
  readonly children: Map<string, KeyNode>;
}

export function buildKeyTree(settings: readonly Setting[]): KeyNode {
  const root: KeyNode = { children: new Map() };
  for (const setting of settings) {
    let node = root;
    const segments = setting.key.split('.');
    for (const [index, segment] of segments.entries()) {
      let child = node.children.get(segment);
      if (!child) {
        child = index === segments.length - 1 ? { setting, children: new Map() } : { children: new Map() };
        node.children.set(segment, child);
      }
      node = child;
    }
  }
  return root;
}

/** A value found in the config file, under the concrete key it was written at. */
export interface FoundValue {
  readonly key: string;
  readonly setting: Setting;
  readonly raw: unknown;
}

/**
 * Every value of the document, each matched to its setting. A key that is no setting and no
 * section is an error with a did-you-mean, at any depth, as Flipt's strict decoding is.
 */
export function collectValues(document: Record<string, unknown>, tree: KeyNode): FoundValue[] {
  const found: FoundValue[] = [];
  walk(document, tree, '', found);
  return found;
}

function walk(mapping: Record<string, unknown>, node: KeyNode, prefix: string, found: FoundValue[]): void {
  for (const [name, value] of Object.entries(mapping)) {
    const key = prefix + name;
    const child = node.children.get(name) ?? node.children.get('*');
    if (!child) throw unknownKey(key, name, node, prefix);
    if (value === undefined || value === null) continue;
    if (child.setting) {
      found.push({ key, setting: child.setting, raw: value });
    } else if (isMapping(value)) {
      walk(value, child, `${key}.`, found);
    } else {
      throw new ConfigError(`${key} must be a mapping (got ${kindOf(value)})`, key);
    }
  }
}

function unknownKey(key: string, name: string, node: KeyNode, prefix: string): ConfigError {
  const known = [...node.children.keys()].filter((k) => k !== '*');
  const guess = closest(name, known);
  const hint = guess
    ? `did you mean ${prefix}${guess}?`
    : `known keys${prefix ? ` under ${prefix.slice(0, -1)}` : ''}: ${known.join(', ')}`;
  return new ConfigError(`unknown config key ${key} (${hint})`, key);
}

export function isMapping(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function kindOf(value: unknown): string {
  return Array.isArray(value) ? 'a list' : (JSON.stringify(value) ?? String(value));
}
