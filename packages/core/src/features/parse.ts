import { isMap, isPair, isScalar, isSeq, LineCounter, type Node, parseAllDocuments } from 'yaml';
import { type NodeLines, parseFastYaml } from './fast-yaml.ts';
import { jsonLocator } from './json-lines.ts';
import type { Path, Problem, SourceFile } from './types.ts';

/** One document of a feature file, with a way back from a value's path to its line. */
export interface ParsedDocument {
  file: string;
  value: unknown;
  /** Line of the value at `path`, or of its closest existing parent (for missing fields). */
  lineAt(path: Path): number;
}

export interface ParsedFile {
  path: string;
  documents: ParsedDocument[];
  problems: Problem[];
}

/** `.yml`/`.yaml` are YAML; `.json` and extension-less files are JSON (Flipt's rule). */
export function fileFormat(path: string): 'yaml' | 'json' | undefined {
  const name = path.slice(path.lastIndexOf('/') + 1);
  const dot = name.lastIndexOf('.');
  if (dot <= 0) return 'json';
  const ext = name.slice(dot + 1).toLowerCase();
  if (ext === 'yml' || ext === 'yaml') return 'yaml';
  if (ext === 'json') return 'json';
  return undefined;
}

function fastLocator(root: unknown, lines: Map<object, NodeLines>, startLine: number) {
  return (path: Path): number => {
    let node = root;
    let line = node !== null && typeof node === 'object' ? (lines.get(node)?.self ?? startLine) : startLine;
    for (const seg of path) {
      if (node === null || typeof node !== 'object') break;
      const info = lines.get(node);
      const at = info ? (info.at as Record<string | number, number>)[seg] : undefined;
      if (at === undefined) break;
      line = at;
      node = (node as Record<string | number, unknown>)[seg];
    }
    return line;
  };
}

function astLocator(root: Node | null, counter: LineCounter, startOffset: number) {
  const lineOf = (offset: number) => counter.linePos(offset).line;
  return (path: Path): number => {
    let node: unknown = root;
    let offset = (root?.range?.[0] ?? startOffset) as number;
    for (const seg of path) {
      let next: unknown;
      if (isMap(node)) {
        const pair = node.items.find(
          (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(seg),
        );
        if (!pair) break;
        offset = (pair.key as Node).range?.[0] ?? offset;
        next = pair.value;
      } else if (isSeq(node)) {
        next = node.items[seg as number];
        if (!next) break;
        offset = (next as Node).range?.[0] ?? offset;
      } else {
        break;
      }
      node = next;
    }
    return lineOf(offset);
  };
}

function yamlProblem(
  file: string,
  error: { message: string; linePos?: { line: number; col: number }[] },
): Problem {
  return {
    file,
    line: error.linePos?.[0]?.line ?? 1,
    column: error.linePos?.[0]?.col,
    message: `invalid YAML: ${error.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '')}`,
  };
}

function parseWithLibrary(file: SourceFile): ParsedFile {
  const counter = new LineCounter();
  const problems: Problem[] = [];
  const documents: ParsedDocument[] = [];
  for (const doc of parseAllDocuments(file.content, { lineCounter: counter })) {
    if (doc.errors.length > 0) {
      for (const error of doc.errors) problems.push(yamlProblem(file.path, error));
      continue;
    }
    const value = doc.toJS({ maxAliasCount: 1000 });
    // An empty document between `---` markers carries nothing (Flipt skips it too).
    if (value === null || value === undefined) continue;
    documents.push({ file: file.path, value, lineAt: astLocator(doc.contents, counter, doc.range[0]) });
  }
  return { path: file.path, documents, problems };
}

function parseYaml(file: SourceFile): ParsedFile {
  const fast = parseFastYaml(file.content, false);
  if (!fast) return parseWithLibrary(file);
  // Lines matter only when something is wrong, so the first question about one parses the file
  // again, recording them; a file without problems is parsed once.
  let located: ReturnType<typeof parseFastYaml>;
  const documents: ParsedDocument[] = [];
  fast.docs.forEach((d, index) => {
    if (d.value === null) return;
    let locate: ((path: Path) => number) | undefined;
    const lineAt = (path: Path): number => {
      if (!locate) {
        located ??= parseFastYaml(file.content, true)!;
        const again = located.docs[index]!;
        locate = fastLocator(again.value, located.lines, again.line);
      }
      return locate(path);
    };
    documents.push({ file: file.path, value: d.value, lineAt });
  });
  return { path: file.path, documents, problems: [] };
}

function parseJson(file: SourceFile): ParsedFile {
  let values: { value: unknown; start: number; end: number }[];
  try {
    values = [{ value: JSON.parse(file.content), start: 0, end: file.content.length }];
  } catch (error) {
    // One JSON document per namespace, one after another, as `ensign export` (and Go's JSON
    // encoder in Flipt's) writes several namespaces; anything else keeps the parser's message.
    const sequence = parseJsonSequence(file.content);
    if (!sequence) return jsonProblem(file, error as Error);
    values = sequence;
  }
  const documents = values
    .filter(({ value }) => value !== null)
    .map(({ value, start, end }) => {
      const firstLine = file.content.slice(0, start).split('\n').length - 1;
      const locate = jsonLocator(file.content.slice(start, end));
      return { file: file.path, value, lineAt: (path: Path) => firstLine + locate(path) };
    });
  return { path: file.path, documents, problems: [] };
}

function jsonProblem(file: SourceFile, error: Error): ParsedFile {
  const message = error.message;
  const match = /line (\d+) column (\d+)/.exec(message);
  const position = /position (\d+)/.exec(message);
  const line = match
    ? Number(match[1])
    : position
      ? file.content.slice(0, Number(position[1])).split('\n').length
      : 1;
  return {
    path: file.path,
    documents: [],
    problems: [{ file: file.path, line, message: `invalid JSON: ${message}` }],
  };
}

/** Two or more top-level JSON objects in a row, or undefined when the text is not that. */
function parseJsonSequence(text: string): { value: unknown; start: number; end: number }[] | undefined {
  const values: { value: unknown; start: number; end: number }[] = [];
  let depth = 0;
  let inString = false;
  let start = -1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
    } else if (ch === '"') {
      if (depth === 0) return undefined;
      inString = true;
    } else if (ch === '{' || ch === '[') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === '}' || ch === ']') {
      depth--;
      if (depth < 0) return undefined;
      if (depth === 0) {
        try {
          values.push({ value: JSON.parse(text.slice(start, i + 1)), start, end: i + 1 });
        } catch {
          return undefined;
        }
      }
    } else if (depth === 0 && !/\s/.test(ch!)) {
      return undefined;
    }
  }
  return depth === 0 && values.length > 1 ? values : undefined;
}

const BYTE_ORDER_MARK = 0xfeff;

export function parseFeatureFile(file: SourceFile): ParsedFile {
  // Editors on Windows save UTF-8 with a byte-order mark; it is not part of the document.
  const source =
    file.content.charCodeAt(0) === BYTE_ORDER_MARK ? { ...file, content: file.content.slice(1) } : file;
  return fileFormat(source.path) === 'yaml' ? parseYaml(source) : parseJson(source);
}
