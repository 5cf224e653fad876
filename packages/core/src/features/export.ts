import type { NamespaceState } from '../model/types.ts';
import { rolloutsOf, rulesOf, segmentKeysOf } from '../model/types.ts';
import { LATEST_VERSION } from './schema.ts';
import { sortKeysDeep, stringifyLikeFlipt } from './yaml-style.ts';

// NamespaceState → `flipt export` YAML (Flipt's internal/ext exporter): key order and
// omitted empty fields follow Flipt's ext.Document struct tags (`omitempty`), so a file
// Flipt exported comes back byte for byte. State order is kept (declarative: key order,
// SQL: creation order).

type Out = Record<string, unknown>;

/** Adds `value` unless Go's omitempty would drop it ("", 0, false, empty list or map). */
function put(out: Out, key: string, value: unknown): void {
  if (value === undefined || value === null || value === '' || value === 0 || value === false) return;
  if (Array.isArray(value) && value.length === 0) return;
  if (typeof value === 'object' && !Array.isArray(value) && Object.keys(value).length === 0) return;
  out[key] = value;
}

function exportNamespace(state: NamespaceState, first: boolean): Out {
  const doc: Out = {};
  if (first) doc['version'] = LATEST_VERSION;
  const namespace: Out = {};
  put(namespace, 'key', state.namespace.key);
  put(namespace, 'name', state.namespace.name);
  put(namespace, 'description', state.namespace.description);
  doc['namespace'] = namespace;

  const flags = state.flags.map((f) => {
    const flag: Out = {};
    put(flag, 'key', f.key);
    put(flag, 'name', f.name);
    put(flag, 'type', f.type);
    put(flag, 'description', f.description);
    flag['enabled'] = f.enabled; // the one field Flipt writes even when false
    put(flag, 'metadata', f.metadata ? sortKeysDeep(f.metadata) : undefined);
    const variantKeys = new Map(f.variants.map((v) => [v.id, v.key]));
    put(
      flag,
      'variants',
      f.variants.map((v) => {
        const variant: Out = {};
        put(variant, 'default', f.defaultVariant?.id === v.id);
        put(variant, 'key', v.key);
        put(variant, 'name', v.name);
        put(variant, 'description', v.description);
        if (v.attachment !== '') put(variant, 'attachment', sortKeysDeep(JSON.parse(v.attachment)));
        return variant;
      }),
    );
    put(
      flag,
      'rules',
      (rulesOf(state, f.key) ?? []).map((r) => {
        const rule: Out = {};
        rule['segment'] =
          r.segmentKey !== '' ? r.segmentKey : { keys: r.segmentKeys, operator: r.segmentOperator };
        put(
          rule,
          'distributions',
          r.distributions.map((d) => {
            const dist: Out = {};
            put(dist, 'variant', variantKeys.get(d.variantId));
            put(dist, 'rollout', d.rollout);
            return dist;
          }),
        );
        return rule;
      }),
    );
    put(
      flag,
      'rollouts',
      (rolloutsOf(state, f.key) ?? []).map((r) => {
        const rollout: Out = {};
        put(rollout, 'description', r.description);
        if (r.segment) {
          const segment: Out = {};
          const keys = segmentKeysOf(r.segment);
          if (r.segment.segmentKey !== '') put(segment, 'key', r.segment.segmentKey);
          else put(segment, 'keys', keys);
          if (r.segment.segmentOperator === 'AND_SEGMENT_OPERATOR')
            segment['operator'] = r.segment.segmentOperator;
          put(segment, 'value', r.segment.value);
          rollout['segment'] = segment;
        } else if (r.threshold) {
          const threshold: Out = {};
          put(threshold, 'percentage', r.threshold.percentage);
          put(threshold, 'value', r.threshold.value);
          rollout['threshold'] = threshold;
        }
        return rollout;
      }),
    );
    return flag;
  });
  put(doc, 'flags', flags);

  const segments = state.segments.map((s) => {
    const segment: Out = {};
    put(segment, 'key', s.key);
    put(segment, 'name', s.name);
    put(segment, 'description', s.description);
    put(
      segment,
      'constraints',
      s.constraints.map((c) => {
        const constraint: Out = {};
        put(constraint, 'type', c.type);
        put(constraint, 'property', c.property);
        put(constraint, 'operator', c.operator);
        put(constraint, 'value', c.value);
        put(constraint, 'description', c.description);
        return constraint;
      }),
    );
    put(segment, 'match_type', s.matchType);
    return segment;
  });
  put(doc, 'segments', segments);
  return doc;
}

/** One YAML document per namespace, `---`-separated, `version` on the first only. */
export function exportFeatures(states: readonly NamespaceState[]): string {
  return states.map((state, i) => stringifyLikeFlipt(exportNamespace(state, i === 0))).join('---\n');
}

/** The same documents as JSON, one per namespace, one after another (Go's JSON encoder's form). */
export function exportFeaturesJson(states: readonly NamespaceState[]): string {
  return states.map((state, i) => `${JSON.stringify(exportNamespace(state, i === 0), null, 2)}\n`).join('');
}
