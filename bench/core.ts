// Core evaluation benchmark: Ensign's compiled evaluator against Flipt's own engine
// (@flipt-io/flipt-client-js, WASM) in one process, same snapshot, same requests.
// Run: npx node bench/core.ts [--rounds N] [--seconds S]

import type { EvaluationNamespaceSnapshot } from '../packages/core/src/document/types.ts';
import { createEvaluator } from '../packages/core/src/evaluation/index.ts';
import { crc32 } from '../packages/core/src/hash/crc32.ts';
import { fliptClientOver } from '../packages/core/test/conformance/flipt-engine.ts';
import { sdkStyleDocument } from '../packages/core/test/datasets/sdk-style.ts';
import { loadReadonlyDocument } from './lib/load-readonly.ts';
import { formatRate, median, round } from './lib/measure.ts';
import { option } from './lib/options.ts';

const REQUIRED_RATIO = 20;
const rounds = option('--rounds', 5);
const seconds = option('--seconds', 0.4);

interface Case {
  name: string;
  document: EvaluationNamespaceSnapshot;
  kind: 'variant' | 'boolean';
  flagKey: string;
  entityId: string;
  context: Record<string, string>;
  expect: string;
}

/** An entity outside every segment whose threshold bucket is below 50, so rollout 5 matches. */
function thresholdEntity(): string {
  for (let i = 0; ; i++)
    if (crc32(`threshold-entity-${i}flag_boolean`) % 100 < 50) return `threshold-entity-${i}`;
}

async function runCase(c: Case): Promise<number> {
  const ensign = createEvaluator(c.document);
  const flipt = await fliptClientOver(c.document);
  const request = { flagKey: c.flagKey, entityId: c.entityId, context: c.context };
  const ensignCall = c.kind === 'variant' ? () => ensign.variant(request) : () => ensign.boolean(request);
  const fliptCall =
    c.kind === 'variant' ? () => flipt.evaluateVariant(request) : () => flipt.evaluateBoolean(request);

  const show = (r: { variantKey?: string; enabled?: boolean; reason: string }): string =>
    `${r.variantKey ?? r.enabled} ${r.reason}`;
  const answers = [show(ensignCall()), show(fliptCall())];
  if (answers.some((answer) => answer !== c.expect)) {
    throw new Error(`${c.name}: expected ${c.expect}, got Ensign ${answers[0]} / Flipt ${answers[1]}`);
  }

  round(ensignCall, 0.3);
  round(fliptCall, 0.3, 100);
  const ensignRates: number[] = [];
  const fliptRates: number[] = [];
  for (let i = 0; i < rounds; i++) {
    ensignRates.push(round(ensignCall, seconds).perSecond);
    fliptRates.push(round(fliptCall, seconds, 100).perSecond);
  }
  flipt.close();
  const ratio = median(ensignRates) / median(fliptRates);
  console.log(
    `${c.name.padEnd(52)} Ensign ${formatRate(median(ensignRates)).padStart(14)}  ` +
      `flipt-client-js ${formatRate(median(fliptRates)).padStart(11)}  ratio ${ratio.toFixed(1)}x`,
  );
  return ratio;
}

const state = sdkStyleDocument();
const readonly = loadReadonlyDocument();
console.log(`Node ${process.version}, ${rounds} rounds of >= ${seconds}s per engine, medians`);
console.log(`readonly snapshot: ${readonly.source}`);

const cases: Case[] = [
  {
    name: '(a) sdk-style flag1 variant (1 rule)',
    document: state,
    kind: 'variant',
    flagKey: 'flag1',
    entityId: 'someentity',
    context: { fizz: 'buzz' },
    expect: 'variant1 MATCH_EVALUATION_REASON',
  },
  {
    name: '(b) readonly flag_001 variant (match at rule 5/50)',
    document: readonly.document,
    kind: 'variant',
    flagKey: 'flag_001',
    entityId: 'some-fixed-entity-id',
    context: { in_segment: 'segment_005' },
    expect: 'variant_002 MATCH_EVALUATION_REASON',
  },
  {
    name: '(c) readonly flag_boolean threshold (rollout 5/5)',
    document: readonly.document,
    kind: 'boolean',
    flagKey: 'flag_boolean',
    entityId: thresholdEntity(),
    context: {},
    expect: 'true MATCH_EVALUATION_REASON',
  },
];

let failed = false;
for (const c of cases) {
  const ratio = await runCase(c);
  if (ratio < REQUIRED_RATIO) {
    failed = true;
    console.log(`  below the required ${REQUIRED_RATIO}x`);
  }
}
if (failed) process.exitCode = 1;
