// Flipt v1 server variant evaluation (docs/evaluation.md) over a compiled flag.

import { crc32Continue } from '../hash/crc32.ts';
import type { CompiledFlag } from './compiled-flag.ts';
import type { EvaluationContext } from './constraint-matcher.ts';
import { matchSegmentSet } from './segment-set.ts';
import type { EvaluationReason, VariantEvaluationResponse } from './types.ts';

function response(
  flag: CompiledFlag,
  requestId: string,
  match: boolean,
  segmentKeys: string[],
  reason: EvaluationReason,
  variantKey: string,
  variantAttachment: string,
): VariantEvaluationResponse {
  return {
    match,
    segmentKeys,
    reason,
    variantKey,
    variantAttachment,
    requestId,
    requestDurationMillis: 0,
    flagKey: flag.key,
  };
}

export function evaluateVariant(
  flag: CompiledFlag,
  requestId: string,
  entityId: string,
  context: EvaluationContext,
): VariantEvaluationResponse {
  const { defaultKey, defaultAttachment } = flag;
  if (!flag.enabled) {
    return response(
      flag,
      requestId,
      false,
      [],
      'FLAG_DISABLED_EVALUATION_REASON',
      defaultKey,
      defaultAttachment,
    );
  }
  for (const rule of flag.rules) {
    const segmentKeys = matchSegmentSet(rule.segments, context, entityId);
    if (segmentKeys === null) continue;
    const buckets = rule.buckets;
    if (buckets.length === 0) {
      return response(
        flag,
        requestId,
        true,
        segmentKeys,
        'MATCH_EVALUATION_REASON',
        defaultKey,
        defaultAttachment,
      );
    }
    const bucket = crc32Continue(flag.hashPrefix, entityId) % 1000;
    for (let i = 0; i < buckets.length; i++) {
      if (bucket < buckets[i]!) {
        return response(
          flag,
          requestId,
          true,
          segmentKeys,
          'MATCH_EVALUATION_REASON',
          rule.variantKeys[i]!,
          rule.variantAttachments[i]!,
        );
      }
    }
    // The bucket fell past the last distribution (they sum to < 100%): Flipt stops here.
    return response(flag, requestId, false, segmentKeys, flag.unmatchedReason, defaultKey, defaultAttachment);
  }
  return response(flag, requestId, false, [], flag.unmatchedReason, defaultKey, defaultAttachment);
}
