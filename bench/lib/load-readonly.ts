// The readonly-style dataset's client snapshot, through Ensign's own loader and snapshot builder.

import { buildSnapshot, type EvaluationNamespaceSnapshot, loadFeatures } from '@ensign/core';
import { readonlyStyleFeatureFiles } from '../../packages/core/test/datasets/readonly-style.ts';

export function loadReadonlyDocument(): { document: EvaluationNamespaceSnapshot; source: string } {
  const loaded = loadFeatures(readonlyStyleFeatureFiles().filter((f) => f.path === 'default.yaml'));
  if (loaded.problems.length > 0)
    throw new Error(`readonly-style dataset invalid: ${loaded.problems[0]!.message}`);
  const document = buildSnapshot(loaded.namespaces).namespace('default')!.clientDocument('1.47.0');
  return { document, source: 'generated readonly-style default.yaml via loadFeatures + buildSnapshot' };
}
