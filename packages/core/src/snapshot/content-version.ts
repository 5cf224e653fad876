import type { EvaluationFlag, EvaluationNamespaceSnapshot, EvaluationSegment } from '../document/types.ts';
import { Hash128 } from '../hash/hash128.ts';

/**
 * A 128-bit sum kept as four 32-bit lanes, each added modulo 2^32. Sums let a write add and take
 * away one flag's share of the version without visiting the others.
 */
export type Lanes = readonly [number, number, number, number];

export const ZERO: Lanes = [0, 0, 0, 0];

export function plus(a: Lanes, b: Lanes): Lanes {
  return [(a[0] + b[0]) >>> 0, (a[1] + b[1]) >>> 0, (a[2] + b[2]) >>> 0, (a[3] + b[3]) >>> 0];
}

export function minus(a: Lanes, b: Lanes): Lanes {
  return [(a[0] - b[0]) >>> 0, (a[1] - b[1]) >>> 0, (a[2] - b[2]) >>> 0, (a[3] - b[3]) >>> 0];
}

/** A flag's share of the version: its digest mixed with its position, so order counts. */
export function flagShare(position: number, digest: string): Lanes {
  return new Hash128().field(position).add(digest).digest();
}

/** A used segment's share: its content, counted once however many flags use it. */
export function segmentShare(digest: string): Lanes {
  return new Hash128().field('segment').add(digest).digest();
}

/**
 * The version of a client document: a hash of the namespace key, the flag count, the sum of
 * every flag's share (its digest, with segments referenced by key, mixed with its position) and
 * the sum of every used segment's share. The served JSON repeats a segment wherever it is used
 * (40 MB for 10,000 flags x 5 rules), so the version is computed without serialising; and
 * because it is made of sums, a write adds and removes only the shares of what it touched and
 * still gets the same version as a build from scratch. Same content, same version, on every
 * replica.
 */
export function documentVersion(document: EvaluationNamespaceSnapshot): string {
  const segments = new Map<string, EvaluationSegment>();
  let flags = ZERO;
  document.flags.forEach((flag, position) => {
    flags = plus(flags, flagShare(position, flagDigest(flag)));
    for (const segment of segmentsUsedBy(flag)) segments.set(segment.key, segment);
  });
  let used = ZERO;
  for (const segment of segments.values()) used = plus(used, segmentShare(segmentDigest(segment)));
  return composeVersion(document.namespace.key, document.flags.length, flags, segments.size, used);
}

/** The version from the flag count and sum, and the used-segment count and sum. */
export function composeVersion(
  namespaceKey: string,
  flagCount: number,
  flags: Lanes,
  segmentCount: number,
  segments: Lanes,
): string {
  const hash = new Hash128().field(namespaceKey).field(flagCount);
  for (const lane of flags) hash.field(lane);
  hash.field(segmentCount);
  for (const lane of segments) hash.field(lane);
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
