import { describePath, didYouMean, isRecord } from './describe.ts';
import { type ParsedDocument, parseFeatureFile } from './parse.ts';
import { LATEST_VERSION, VERSIONS } from './schema.ts';
import { semanticProblems } from './semantics.ts';
import { structuralProblems } from './structure.ts';
import type { Path, Problem, SourceFile } from './types.ts';

/** A document that parsed, with the namespace it belongs to. */
export interface CheckedDocument {
  file: string;
  value: Record<string, unknown>;
  namespaceKey: string;
}

const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

function versionOf(value: unknown): string | undefined {
  if (value === undefined || value === null) return LATEST_VERSION; // Flipt's importer default
  if (typeof value === 'number') return Number.isInteger(value) ? value.toFixed(1) : String(value);
  return typeof value === 'string' ? value : undefined;
}

function namespaceKeyOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (isRecord(value) && typeof value['key'] === 'string') return value['key'];
  return 'default';
}

function byPosition(a: Problem, b: Problem): number {
  return a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line;
}

/**
 * Parses and checks every file. Problems come sorted by file and line. Duplicate flag or
 * segment keys are problems within one file; across files the later file overwrites (Flipt's
 * merge). Segment references resolve against all files of the namespace.
 */
export function checkFeatures(files: readonly SourceFile[]): {
  documents: CheckedDocument[];
  problems: Problem[];
} {
  const problems: Problem[] = [];
  const documents: CheckedDocument[] = [];
  const parsed: ParsedDocument[] = [];
  const segmentsByNamespace = new Map<string, Set<string>>();

  for (const file of files) {
    const result = parseFeatureFile(file);
    problems.push(...result.problems);
    // `${ns}\0flag\0${key}` → where it first appears, per file. Lines are looked up only for a
    // duplicate: on a file without problems, asking for them would cost a second parse.
    const seen = new Map<string, () => number>();
    for (const doc of result.documents) {
      const value = doc.value;
      if (!isRecord(value)) {
        problems.push({
          file: doc.file,
          line: doc.lineAt([]),
          message: 'document must be a mapping with version, namespace, flags and segments',
        });
        continue;
      }
      let version = versionOf(value['version']);
      if (version === undefined || !(VERSIONS as readonly string[]).includes(version)) {
        const shown = version ?? JSON.stringify(value['version']);
        problems.push({
          file: doc.file,
          line: doc.lineAt(['version']),
          message: `unsupported version: ${shown} (supported: ${VERSIONS.join(', ')})`,
        });
        version = LATEST_VERSION;
      }
      problems.push(...structuralProblems(doc, { ...value, version: undefined }));
      problems.push(...semanticProblems(doc, value, version));

      const namespaceKey = namespaceKeyOf(value['namespace']);
      let segments = segmentsByNamespace.get(namespaceKey);
      if (!segments) {
        segments = new Set();
        segmentsByNamespace.set(namespaceKey, segments);
      }
      for (const kind of ['flags', 'segments'] as const) {
        list(value[kind]).forEach((item, i) => {
          const key = isRecord(item) ? item['key'] : undefined;
          if (typeof key !== 'string') return;
          if (kind === 'segments') segments.add(key);
          const id = `${namespaceKey}\0${kind}\0${key}`;
          const first = seen.get(id);
          if (first === undefined) seen.set(id, () => doc.lineAt([kind, i, 'key']));
          else
            problems.push({
              file: doc.file,
              line: doc.lineAt([kind, i, 'key']),
              message: `duplicate ${kind.slice(0, -1)} key "${key}" (first defined at ${doc.file}:${first()})`,
            });
        });
      }
      documents.push({ file: doc.file, value, namespaceKey });
      parsed.push(doc);
    }
  }

  documents.forEach((checked, d) => {
    const segments = segmentsByNamespace.get(checked.namespaceKey)!;
    const doc = parsed[d]!;
    // The path is spelled out only for an unknown key: this runs for every rule and rollout.
    const check = (key: unknown, f: number, kind: string, r: number, ...rest: (string | number)[]) => {
      if (typeof key !== 'string' || segments.has(key)) return;
      const item: Path = ['flags', f, kind, r];
      problems.push({
        file: doc.file,
        line: doc.lineAt([...item, 'segment', ...rest]),
        message: `${describePath(checked.value, item)} references unknown segment "${key}"${didYouMean(key, segments)}`,
      });
    };
    list(checked.value['flags']).forEach((flag, f) => {
      if (!isRecord(flag)) return;
      for (const kind of ['rules', 'rollouts'] as const) {
        list(flag[kind]).forEach((item, r) => {
          const segment = isRecord(item) ? item['segment'] : undefined;
          if (typeof segment === 'string') check(segment, f, kind, r);
          if (!isRecord(segment)) return;
          if (kind === 'rollouts') check(segment['key'], f, kind, r, 'key');
          list(segment['keys']).forEach((key, k) => {
            check(key, f, kind, r, 'keys', k);
          });
        });
      }
    });
  });
  return { documents, problems: problems.sort(byPosition) };
}

/** Every problem in the given feature files (an empty list means they load). */
export function validateFeatures(files: readonly SourceFile[]): Problem[] {
  return checkFeatures(files).problems;
}
