import { buildSnapshot, loadFeatures, type Snapshot } from '@ensign/core';
import { readonlyStyleFeatureFiles } from '../../../../core/test/datasets/readonly-style.ts';
import type { SnapshotSource } from '../../../src/storage/contract.ts';

// A static SnapshotSource over the readonly-style dataset (the shape of the data Flipt's own
// read-only integration suite serves), built once per test process.

export function fixtureSnapshot(): Snapshot {
  const { namespaces, problems } = loadFeatures(readonlyStyleFeatureFiles());
  if (problems.length > 0) throw new Error(`fixture problems: ${JSON.stringify(problems)}`);
  return buildSnapshot(namespaces, { now: '2026-01-01T00:00:00Z' });
}

export function staticSource(snapshot: Snapshot = fixtureSnapshot(), readOnly = true): SnapshotSource {
  return {
    readOnly,
    type: 'local',
    start: async () => {},
    close: async () => {},
    current: () => snapshot,
    status: () => ({ state: 'ok' }),
    onChange: () => () => {},
  };
}
