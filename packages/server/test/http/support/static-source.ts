import { readFileSync } from 'node:fs';
import { buildSnapshot, loadFeatures, type Snapshot } from '@ensign/core';
import { defaultConfig } from '../../../src/config/defaults.ts';
import type { Config } from '../../../src/config/types.ts';
import type { SnapshotSource, SourceStatus } from '../../../src/storage/contract.ts';
import { readonlyStyleDir, readonlyStylePaths, sdkStylePath } from '../../support/datasets.ts';

// A real, static SnapshotSource built from fixture files: the same loading and snapshot code the
// server uses, without a directory watcher. Not a mock: it serves what the files say.

export const READONLY_DIR = readonlyStyleDir();
export const READONLY_FILES = readonlyStylePaths();
export const SDK_FIXTURES = [sdkStylePath()];

export interface StaticSource extends SnapshotSource {
  /** Replaces the served snapshot (tests of change detection). */
  swap(paths: readonly string[]): void;
  setStatus(status: SourceStatus): void;
}

function load(paths: readonly string[]): Snapshot {
  const files = paths.map((path) => ({ path, content: readFileSync(path, 'utf8') }));
  const { namespaces, problems } = loadFeatures(files, { now: '2026-01-01T00:00:00Z' });
  if (problems.length > 0) throw new Error(`fixture problems: ${JSON.stringify(problems)}`);
  return buildSnapshot(namespaces, { now: '2026-01-01T00:00:00Z' });
}

export function staticSource(paths: readonly string[]): StaticSource {
  let snapshot = load(paths);
  let status: SourceStatus = { state: 'ok', lastSuccessAt: '2026-01-01T00:00:00.000Z' };
  const listeners = new Set<(s: Snapshot) => void>();
  return {
    readOnly: true,
    type: 'local',
    async start() {},
    current: () => snapshot,
    status: () => status,
    onChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {},
    swap(next) {
      snapshot = load(next);
      for (const l of listeners) l(snapshot);
    },
    setStatus(next) {
      status = next;
    },
  };
}

export function testConfig(overrides: { maxBodyBytes?: number; cors?: boolean } = {}): Config {
  return {
    log: { level: 'error', encoding: 'json', access: false },
    cors: {
      enabled: overrides.cors ?? false,
      allowedOrigins: ['*'],
      allowedHeaders: ['Accept', 'Content-Type'],
    },
    server: {
      protocol: 'http',
      host: '127.0.0.1',
      httpPort: 0,
      httpsPort: 0,
      certFile: '',
      certKey: '',
      grpcPort: 0,
      maxBodyBytes: overrides.maxBodyBytes ?? 64 * 1024,
      limits: defaultConfig().server.limits,
      shutdownGracePeriodMs: 5000,
    },
    storage: { type: 'local', readOnly: true, local: { path: READONLY_DIR, pollIntervalMs: 1000 } },
    db: { ...defaultConfig().db, url: 'file::memory:' },
    metrics: { enabled: true },
    tracing: defaultConfig().tracing,
    // Off, as by default: tests of security features start from their own config.
    authentication: defaultConfig().authentication,
    authorization: defaultConfig().authorization,
    audit: defaultConfig().audit,
    ui: { enabled: true, defaultTheme: 'system', topbar: { color: '', label: '' } },
  };
}

/** Collects what the app logs, so tests can assert that client mistakes are not logged as errors. */
export function testLogger() {
  const errors: unknown[] = [];
  return {
    errors,
    error(obj: object) {
      errors.push(obj);
    },
    warn() {},
  };
}

/**
 * Response bodies in tests: the assertions check their shape, field by field.
 */
// biome-ignore lint/suspicious/noExplicitAny: JSON read back from the server, checked by assertions
export type Body = any;
