import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type DatasetOptions, readonlyStyleFiles } from '../../../core/test/datasets/readonly-style.ts';
import { SDK_STYLE_PATH, SDK_STYLE_YAML } from '../../../core/test/datasets/sdk-style.ts';

// The generated test datasets, written once per test process into a temporary folder (removed on
// exit), for tests and benchmarks that serve a directory or read files.

let root: string | undefined;
const written = new Map<string, string>();

function tempRoot(): string {
  if (!root) {
    const dir = mkdtempSync(join(tmpdir(), 'ensign-datasets-'));
    root = dir;
    process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  }
  return root;
}

function writeOnce(name: string, files: readonly { path: string; content: string }[]): string {
  const existing = written.get(name);
  if (existing) return existing;
  const dir = join(tempRoot(), name);
  mkdirSync(dir, { recursive: true });
  for (const file of files) writeFileSync(join(dir, file.path), file.content);
  written.set(name, dir);
  return dir;
}

/** A directory holding the readonly-style dataset and its `.flipt.yml`. */
export function readonlyStyleDir(options: DatasetOptions = {}): string {
  return writeOnce(
    `readonly-${options.coverage ?? 0}-${options.seed ?? 'default'}`,
    readonlyStyleFiles(options),
  );
}

/** The readonly-style feature files (paths), in namespace order. */
export function readonlyStylePaths(options: DatasetOptions = {}): string[] {
  const dir = readonlyStyleDir(options);
  return readonlyStyleFiles(options)
    .filter((f) => f.path !== '.flipt.yml')
    .map((f) => join(dir, f.path));
}

/** The sdk-style features file's path. */
export function sdkStylePath(): string {
  return join(writeOnce('sdk-style', [{ path: SDK_STYLE_PATH, content: SDK_STYLE_YAML }]), SDK_STYLE_PATH);
}
