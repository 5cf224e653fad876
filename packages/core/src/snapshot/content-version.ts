import type { EvaluationFlag, EvaluationNamespaceSnapshot, EvaluationSegment } from '../document/types.ts';
import { Hash128 } from '../hash/hash128.ts';

/**
 * The version of a client document: a hash over one digest per flag (its fields, with segments
 * referenced by key) and one digest per segment used (its content), segments in order of first
 * use. The served JSON repeats a segment wherever it is used (40 MB for 10,000 flags x 5 rules),
 * so the version is computed without serialising. Because it is composed from per-flag and
 * per-segment digests, a write that changes one flag re-hashes that flag and the short list of
 * digests, and still gets the same version as a build from scratch. Same content, same version,
 * on every replica.
 */
export function documentVersion(document: EvaluationNamespaceSnapshot): string {
  const segments = new Map<string, EvaluationSegment>();
  for (const flag of document.flags)
    for (const segment of segmentsUsedBy(flag)) segments.set(segment.key, segment);
  return composeVersion(
    document.namespace.key,
    document.flags.map(flagDigest),
    [...segments.values()].map(segmentDigest),
  );
}

/** The version from per-flag digests (document order) and used-segment digests (first use). */
export function composeVersion(
  namespaceKey: string,
  flagDigests: readonly string[],
  segmentDigests: readonly string[],
): string {
  const hash = new Hash128().field(namespaceKey).field(flagDigests.length);
  for (const digest of flagDigests) hash.add(digest);
  hash.field(segmentDigests.length);
  for (const digest of segmentDigests) hash.add(digest);
  return hash.hex();
}

/** Every segment a flag's rules and rollouts list, in listing order, repeats included. */
export function* segmentsUsedBy(flag: EvaluationFlag): Generator<EvaluationSegment> {
  for (const rule of flag.rules) yield* rule.segments;
  for (const rollout of flag.rollouts) if (rollout.segment) yield* rollout.segment.segments;
}

export function segmentDigest(segment: EvaluationSegment): string {
  const hash = new Hash128().field(segment.key).field(segment.matchType).field(segment.constraints.length);
  for (const c of segment.constraints)
    hash.field(c.id).field(c.type).field(c.property).field(c.operator).field(c.value);
  return hash.hex();
}

export function flagDigest(flag: EvaluationFlag): string {
  const hash = new Hash128();
  const addSegments = (list: readonly EvaluationSegment[]): void => {
    hash.field(list.length);
    for (const segment of list) hash.field(segment.key);
  };
  hash.field(flag.key).field(flag.name).field(flag.description).field(flag.enabled).field(flag.type);
  const dv = flag.defaultVariant;
  if (dv) hash.field('default').field(dv.id).field(dv.key).field(dv.attachment);
  hash.field(flag.rules.length);
  for (const rule of flag.rules) {
    hash.field(rule.id).field(rule.rank).field(rule.segmentOperator);
    addSegments(rule.segments);
    hash.field(rule.distributions.length);
    for (const d of rule.distributions) {
      hash.field(d.variantId).field(d.variantKey).field(d.variantAttachment).field(d.rollout);
    }
  }
  hash.field(flag.rollouts.length);
  for (const rollout of flag.rollouts) {
    hash.field(rollout.type).field(rollout.rank);
    if (rollout.threshold)
      hash.field('threshold').field(rollout.threshold.percentage).field(rollout.threshold.value);
    if (rollout.segment) {
      hash.field('segment').field(rollout.segment.value).field(rollout.segment.segmentOperator);
      addSegments(rollout.segment.segments);
    }
  }
  return hash.hex();
}
