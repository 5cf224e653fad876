// Flipt v1 server boolean evaluation (docs/evaluation.md): `enabled` never short-circuits, it
// is only the answer when no rollout matches.

import { crc32WithSuffix } from '../hash/crc32.ts';
import type { CompiledFlag } from './compiled-flag.ts';
import type { EvaluationContext } from './constraint-matcher.ts';
import { matchSegmentSet } from './segment-set.ts';
import type { BooleanEvaluationResponse, EvaluationReason } from './types.ts';

function response(
  flag: CompiledFlag,
  requestId: string,
  enabled: boolean,
  reason: EvaluationReason,
  segmentKeys: string[],
): BooleanEvaluationResponse {
  return { enabled, reason, requestId, requestDurationMillis: 0, flagKey: flag.key, segmentKeys };
}

export function evaluateBoolean(
  flag: CompiledFlag,
  requestId: string,
  entityId: string,
  context: EvaluationContext,
): BooleanEvaluationResponse {
  let bucket = -1;
  for (const rollout of flag.rollouts) {
    if (rollout.isThreshold) {
      // Note the order: entityId + flagKey, the reverse of the variant hash.
      if (bucket < 0) bucket = crc32WithSuffix(entityId, flag.hashSuffix!) % 100;
      if (bucket < rollout.percentage)
        return response(flag, requestId, rollout.value, 'MATCH_EVALUATION_REASON', []);
    } else if (rollout.segments !== null) {
      const segmentKeys = matchSegmentSet(rollout.segments, context, entityId);
      if (segmentKeys !== null) {
        return response(flag, requestId, rollout.value, 'MATCH_EVALUATION_REASON', segmentKeys);
      }
    }
  }
  return response(flag, requestId, flag.enabled, 'DEFAULT_EVALUATION_REASON', []);
}
