// The `yaml` library needs ~0.3 s for a 360 KB feature file, too slow for snapshot rebuilds.
// Feature files almost always use the plain block style Flipt itself writes, so this parser
// handles exactly that subset (block maps and sequences, single-line plain or quoted scalars,
// `[]`/`{}`, comments, `---` streams) and, when asked, records the line of every key and item.
// Anything else makes it give up (returns undefined) and the caller uses the `yaml` library,
// so the subset only affects speed, never results. Scalars resolve as YAML 1.2 core schema,
// like the `yaml` library.

export interface NodeLines {
  /** Line of the container's first entry. */
  self: number;
  /** Map: line of each key. Sequence: line of each item. */
  at: Record<string, number> | number[];
}

export interface FastDocument {
  value: unknown;
  line: number;
}

class GiveUp extends Error {}

const SPACE = 32;
const DASH = 45;
const COLON = 58;
/** By character code: what cannot start a plain key in the subset. */
const KEY_START_FORBIDDEN = new Uint8Array(128);
for (const c of '?&*!|>\'"{[%@`#,') KEY_START_FORBIDDEN[c.charCodeAt(0)] = 1;
const VALUE_START_FORBIDDEN = new Set(['&', '*', '!', '|', '>', '%', '@', '`', '{', '[', '?', ',', ']', '}']);
const INT = /^[-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?$/;

function resolvePlain(text: string): unknown {
  switch (text) {
    case '':
    case '~':
    case 'null':
    case 'Null':
    case 'NULL':
      return null;
    case 'true':
    case 'True':
    case 'TRUE':
      return true;
    case 'false':
    case 'False':
    case 'FALSE':
      return false;
  }
  const c = text.charCodeAt(0);
  // Only text starting like a number can be one; everything else is a string.
  if ((c >= 48 && c <= 57) || c === 43 || c === 45 || c === 46) {
    if (INT.test(text) || FLOAT.test(text)) {
      const n = Number(text);
      // Integers beyond 2^53 lose precision differently across parsers: let `yaml` decide.
      if (!Number.isSafeInteger(n) && INT.test(text)) throw new GiveUp();
      return n;
    }
    if (/^(?:0x|0o|[-+]?\.inf|[-+]?\.Inf|[-+]?\.INF|\.nan|\.NaN|\.NAN)/.test(text)) throw new GiveUp();
  }
  return text;
}

function afterScalar(rest: string): void {
  const trimmed = rest.trimStart();
  if (trimmed !== '' && !(trimmed.startsWith('#') && trimmed.length < rest.length)) throw new GiveUp();
}

const ESCAPES: Record<string, string> = {
  '\\': '\\',
  '"': '"',
  '/': '/',
  n: '\n',
  t: '\t',
  r: '\r',
  '0': '\0',
};

function doubleQuoted(text: string): unknown {
  let out = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') {
      afterScalar(text.slice(i + 1));
      return out;
    }
    if (c === '\\') {
      const e = text[++i];
      if (e === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) {
        out += String.fromCharCode(Number.parseInt(text.slice(i + 1, i + 5), 16));
        i += 4;
      } else if (e !== undefined && ESCAPES[e] !== undefined) {
        out += ESCAPES[e];
      } else {
        throw new GiveUp();
      }
    } else {
      out += c;
    }
  }
  throw new GiveUp(); // multi-line quoted scalar
}

function singleQuoted(text: string): unknown {
  let out = '';
  for (let i = 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === "'") {
      if (text[i + 1] === "'") {
        out += "'";
        i++;
        continue;
      }
      afterScalar(text.slice(i + 1));
      return out;
    }
    out += c;
  }
  throw new GiveUp();
}

/**
 * Recursive descent over the significant lines of the text, read one at a time straight from
 * the string: no array of lines or tokens is built, so a large file costs little beyond the
 * values it holds. Lines are recorded only when asked for (see parseFastYaml).
 */
class Parser {
  private readonly src: string;
  private readonly lines: Map<object, NodeLines> | undefined;
  /** Where the next unread line starts, and how many lines were read before it. */
  private offset = 0;
  private count = 0;
  /** The current line: its number, indent and content; indent is -1 at a `---` line or the end. */
  line = 0;
  indent = -1;
  text = '';
  /** Whether the current stop is a `---` line: another document follows. */
  marker = false;
  /**
   * One string per distinct key: a file repeats a handful of keys thousands of times, and
   * storing a property under a string the engine has seen before is much cheaper than under a
   * fresh slice.
   */
  private readonly keys = new Map<string, string>();

  constructor(src: string, lines: Map<object, NodeLines> | undefined) {
    this.src = src;
    this.lines = lines;
  }

  /** Moves to the next line that is not blank or a comment, or to the next `---`, or to the end. */
  advance(): void {
    const src = this.src;
    this.marker = false;
    while (this.offset < src.length) {
      const from = this.offset;
      const newline = src.indexOf('\n', from);
      let end = newline < 0 ? src.length : newline;
      this.offset = end + 1;
      this.count++;
      if (end > from && src.charCodeAt(end - 1) === 13) end--;
      let start = from;
      while (start < end && src.charCodeAt(start) === 32) start++;
      if (start === end) continue;
      const first = src.charCodeAt(start);
      if (first === 35) continue; // a comment line
      if (first === 9) throw new GiveUp();
      const indent = start - from;
      const content = src.slice(start, end);
      if (indent === 0) {
        if (content === '---' || content.startsWith('--- ') || content.startsWith('---\t')) {
          const after = content.slice(3).trim();
          if (after !== '' && !after.startsWith('#')) throw new GiveUp();
          this.line = this.count;
          this.indent = -1;
          this.marker = true;
          return;
        }
        if (content === '...' || first === 37) throw new GiveUp();
      }
      this.line = this.count;
      this.indent = indent;
      this.text = content;
      return;
    }
    this.indent = -1;
  }

  /** The key of a `key: value` line whose `:` is at `end`, or a give-up on keys outside the subset. */
  private key(text: string, end: number): string {
    let key = text.slice(0, end);
    if (end > 0 && mayTrim(key.charCodeAt(end - 1))) key = key.trimEnd();
    if (key === '' || key.includes(' #') || key.includes('\t')) throw new GiveUp();
    const known = this.keys.get(key);
    if (known !== undefined) return known;
    this.keys.set(key, key);
    return key;
  }

  /** The document at the current line; leaves the parser at the `---` after it or at the end. */
  document(): unknown {
    if (this.indent < 0) return null;
    const value = this.block(this.indent);
    if (this.indent >= 0) throw new GiveUp();
    return value;
  }

  private block(indent: number): unknown {
    if (this.indent !== indent) throw new GiveUp();
    return isItem(this.text) ? this.sequence(indent) : this.mapping(indent);
  }

  private scalar(text: string, line: number): unknown {
    const c = text[0];
    if (c === undefined || c === '#') return null;
    if (c === '"') return doubleQuoted(text);
    if (c === "'") return singleQuoted(text);
    if (text.startsWith('[]') || text.startsWith('{}')) {
      afterScalar(text.slice(2));
      const empty = c === '[' ? [] : {};
      this.lines?.set(empty, { self: line, at: c === '[' ? [] : {} });
      return empty;
    }
    if (VALUE_START_FORBIDDEN.has(c) || text.startsWith('- ') || text === '-' || text.startsWith(': ')) {
      throw new GiveUp();
    }
    const hash = text.indexOf(' #');
    const plain = (hash >= 0 ? text.slice(0, hash) : text).trimEnd();
    if (plain.includes(': ') || plain.endsWith(':') || plain.includes('\t')) throw new GiveUp();
    return resolvePlain(plain);
  }

  /** The value after `key:` with nothing on the line: a nested block, or null. */
  private nested(indent: number, allowIndentless: boolean): unknown {
    if (this.indent > indent) return this.block(this.indent);
    if (allowIndentless && this.indent === indent && isItem(this.text)) return this.sequence(indent);
    return null;
  }

  private mapping(indent: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const at: Record<string, number> | undefined = this.lines ? {} : undefined;
    const self = this.line;
    while (this.indent === indent && !isItem(this.text)) {
      const text = this.text;
      const end = keyEnd(text);
      if (end < 0) throw new GiveUp();
      const key = this.key(text, end);
      if (key === '__proto__' || Object.hasOwn(obj, key)) throw new GiveUp();
      let from = end + 1;
      while (text.charCodeAt(from) === SPACE) from++;
      let rest = from < text.length ? text.slice(from) : '';
      if (rest !== '' && mayTrim(rest.charCodeAt(0))) rest = rest.trimStart();
      const line = this.line;
      if (at) at[key] = line;
      this.advance();
      obj[key] = rest === '' ? this.nested(indent, true) : this.scalar(rest, line);
    }
    this.checkDedent(indent);
    if (at) this.lines!.set(obj, { self, at });
    return obj;
  }

  private sequence(indent: number): unknown[] {
    const arr: unknown[] = [];
    const at: number[] | undefined = this.lines ? [] : undefined;
    const self = this.line;
    while (this.indent === indent && isItem(this.text)) {
      const line = this.line;
      at?.push(line);
      const text = this.text;
      const rest = text.slice(1).trimStart();
      if (rest === '' || rest.startsWith('#')) {
        this.advance();
        arr.push(this.nested(indent, false));
      } else if (isItem(rest)) {
        throw new GiveUp();
      } else if (keyEnd(rest) >= 0) {
        // `- key: value` opens a mapping whose keys line up with `key`.
        this.indent = indent + text.length - rest.length;
        this.text = rest;
        arr.push(this.mapping(this.indent));
      } else {
        this.advance();
        arr.push(this.scalar(rest, line));
      }
    }
    this.checkDedent(indent);
    if (at) this.lines!.set(arr, { self, at });
    return arr;
  }

  /** A block must be followed by a shallower line; deeper leftovers mean a construct we skip. */
  private checkDedent(indent: number): void {
    if (this.indent > indent) throw new GiveUp();
  }
}

function isItem(text: string): boolean {
  return text === '-' || text.startsWith('- ');
}

/**
 * Where the `:` ending the key is in `text` (`key: value` or `key:`), or -1 when the line is not
 * a key.
 */
function keyEnd(text: string): number {
  const c = text.charCodeAt(0);
  if (c < 128 && KEY_START_FORBIDDEN[c] === 1) return -1;
  if (c === DASH && (text.length === 1 || text.charCodeAt(1) === SPACE)) return -1;
  const idx = text.indexOf(': ');
  if (idx >= 0) return idx;
  return text.charCodeAt(text.length - 1) === COLON ? text.length - 1 : -1;
}

/** Space, other ASCII control characters, or anything beyond ASCII: trimming may apply there. */
function mayTrim(code: number): boolean {
  return code <= SPACE || code >= 128;
}
/**
 * Parses `text` as a YAML stream, or returns undefined when it uses anything outside the subset.
 * The line of every key and item is recorded only with `withLines`: it is needed only to point
 * at a problem, so the loader parses without it and again with it when something is wrong.
 */
export function parseFastYaml(
  text: string,
  withLines = true,
): { docs: FastDocument[]; lines: Map<object, NodeLines> } | undefined {
  const lines = new Map<object, NodeLines>();
  const parser = new Parser(text, withLines ? lines : undefined);
  const docs: FastDocument[] = [];
  try {
    parser.advance();
    // Text before the first `---` is a document of its own only when it holds something.
    if (parser.indent >= 0) docs.push({ line: parser.line, value: parser.document() });
    while (parser.marker) {
      const line = parser.line;
      parser.advance();
      docs.push({ line, value: parser.document() });
    }
  } catch (error) {
    if (error instanceof GiveUp) return undefined;
    throw error;
  }
  return { docs, lines };
}
