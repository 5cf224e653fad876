// One feature document, three encodings: how long core's loader (loadFeatures: parse, check,
// build the namespace state) takes for the readonly-style namespaces as block YAML, one-line JSON
// (Flipt's bundle layers) and pretty-printed JSON. Rounds alternate the formats; medians and
// ratios against YAML. Decides the layer encoding `ensign bundle build` writes.
// Run: npx node --expose-gc bench/feature-formats.ts [--rounds 9]
import { loadFeatures, type SourceFile } from '@ensign/core';
import { parseAllDocuments, stringify } from 'yaml';
import { readonlyStyleFeatureFiles } from '../packages/core/test/datasets/readonly-style.ts';
import { median } from './lib/measure.ts';

const roundsArg = process.argv.indexOf('--rounds');
const ROUNDS = roundsArg > 0 ? Number(process.argv[roundsArg + 1]) : 9;

/** Each document re-encoded the way a bundle layer would carry it. */
function encoded(encode: (value: unknown) => string, ext: string): SourceFile[] {
  const files: SourceFile[] = [];
  for (const file of readonlyStyleFeatureFiles()) {
    parseAllDocuments(file.content).forEach((doc, i) => {
      files.push({ path: `${file.path}.${i}.${ext}`, content: encode(doc.toJS()) });
    });
  }
  return files;
}

const formats: [string, SourceFile[]][] = [
  ['block YAML (+yaml)', encoded((v) => stringify(v), 'yaml')],
  ['one-line JSON (+json)', encoded((v) => JSON.stringify(v), 'json')],
  ['pretty JSON', encoded((v) => JSON.stringify(v, null, 2), 'json')],
];

const times = new Map<string, number[]>(formats.map(([name]) => [name, []]));
for (const [, files] of formats) {
  const { problems } = loadFeatures(files);
  if (problems.length > 0) throw new Error(`dataset does not load: ${problems[0]!.message}`);
}
for (let round = 0; round < ROUNDS; round++) {
  // Alternate the order so drift on a shared machine does not favour one format.
  const order = round % 2 ? [...formats].reverse() : formats;
  for (const [name, files] of order) {
    // A minor collection: a full one right before a load slowed it 2-4x (see bench/README.md).
    globalThis.gc?.({ type: 'minor' });
    const start = performance.now();
    loadFeatures(files);
    times.get(name)!.push(performance.now() - start);
  }
}

const bytes = (files: SourceFile[]) => files.reduce((n, f) => n + Buffer.byteLength(f.content), 0);
const yaml = median(times.get(formats[0]![0])!);
console.log(`loadFeatures, readonly-style namespaces, median of ${ROUNDS} rounds (${process.version})\n`);
console.log('| format | size | load | vs YAML |');
console.log('| ------ | ---: | ---: | ------: |');
for (const [name, files] of formats) {
  const ms = median(times.get(name)!);
  console.log(
    `| ${name} | ${(bytes(files) / 1024).toFixed(0)} KB | ${ms.toFixed(1)} ms | ${(ms / yaml).toFixed(2)}x |`,
  );
}
