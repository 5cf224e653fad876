// A small dataset in the shape Flipt's client SDK test suites use (one variant flag matched by a
// segment on `fizz`, one boolean flag with a segment rollout and a 50% threshold), so tests of
// clients and OpenFeature providers can use the inputs those SDKs' users know.

import type { EvaluationNamespaceSnapshot } from '../../src/document/types.ts';
import { loadFeatures } from '../../src/features/index.ts';
import { buildSnapshot } from '../../src/snapshot/index.ts';

export const SDK_STYLE_PATH = 'features.yml';

export const SDK_STYLE_YAML = `namespace: default
flags:
  - key: flag1
    name: flag1
    type: VARIANT_FLAG_TYPE
    enabled: true
    description: a variant flag for everyone matching segment1
    variants:
      - key: variant1
        name: variant1
        description: the only variant
    rules:
      - segment: segment1
        distributions:
          - variant: variant1
            rollout: 100
  - key: flag_boolean
    name: flag_boolean
    type: BOOLEAN_FLAG_TYPE
    enabled: true
    description: a boolean flag, on for segment1 and for half of the rest
    rollouts:
      - segment:
          key: segment1
          value: true
      - threshold:
          percentage: 50
          value: true
segments:
  - key: segment1
    name: segment1
    description: entities whose fizz is buzz
    constraints:
      - type: STRING_COMPARISON_TYPE
        property: fizz
        operator: eq
        value: buzz
    match_type: ANY_MATCH_TYPE
`;

/** The dataset's `default` namespace as the client snapshot document a server sends. */
export function sdkStyleDocument(): EvaluationNamespaceSnapshot {
  const { namespaces, problems } = loadFeatures([{ path: SDK_STYLE_PATH, content: SDK_STYLE_YAML }], {
    now: '2026-01-01T00:00:00Z',
  });
  if (problems.length > 0) throw new Error(`sdk-style dataset invalid: ${problems[0]!.message}`);
  return buildSnapshot(namespaces, { now: '2026-01-01T00:00:00Z' })
    .namespace('default')!
    .clientDocument('1.47.0');
}
