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
/** By character code: what cannot start a plain value in the subset. */
const VALUE_START_FORBIDDEN = new Uint8Array(128);
for (const c of '&*!|>%@`{[?,]}') VALUE_START_FORBIDDEN[c.charCodeAt(0)] = 1;
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

/** Size of the caches of recent keys and values (a power of two). */
const CACHE_SIZE = 1024;

/**
 * Recursive descent over the significant lines of the text, read one at a time straight from
 * the string by offsets: no array of lines or tokens is built, and a line's key and a plain
 * value are sliced from the text only the first time that text is seen (see `cached`), so a
 * large file costs little beyond the values it holds. Lines are recorded only when asked for
 * (see parseFastYaml).
 */
class Parser {
  private readonly src: string;
  private readonly lines: Map<object, NodeLines> | undefined;
  /** Where the next unread line starts, and how many lines were read before it. */
  private offset = 0;
  private count = 0;
  /**
   * The current line: its number, indent, and where its content starts and ends in the text;
   * indent is -1 at a `---` line or at the end.
   */
  line = 0;
  indent = -1;
  start = 0;
  end = 0;
  /** Whether the current stop is a `---` line: another document follows. */
  marker = false;
  /**
   * Keys and plain values seen recently, by a hash of their text: a file repeats a handful of
   * keys and values thousands of times. A hit costs a comparison instead of a slice, and every
   * repeat shares one string: stored as a property name, a string the engine has seen before
   * is much cheaper than a fresh slice, and shared values are less for the collector to move.
   */
  private readonly keyText: (string | undefined)[] = new Array(CACHE_SIZE);
  private readonly valueText: (string | undefined)[] = new Array(CACHE_SIZE);
  private readonly valueOf: unknown[] = new Array(CACHE_SIZE);
  /** One string per distinct key, whatever the cache above evicted. */
  private readonly keys = new Map<string, string>();
  /** Set by scanKey and scanPlain: the hash of the text they scanned. */
  private hash = 0;

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
      if (indent === 0 && (first === DASH || first === 46 || first === 37)) {
        const content = src.slice(start, end);
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
      this.start = start;
      this.end = end;
      return;
    }
    this.indent = -1;
  }

  /** Whether the text from `at` to the line's end is a sequence item (`-` or `- ...`). */
  private isItem(at: number): boolean {
    const src = this.src;
    return src.charCodeAt(at) === DASH && (at + 1 === this.end || src.charCodeAt(at + 1) === SPACE);
  }

  /**
   * Where the `:` ending the key is in the text from `at` to the line's end (`key: value` or
   * `key:`), or -1 when it is not a key. Hashes the text before that `:` into `hash`.
   */
  private scanKey(at: number): number {
    const src = this.src;
    const end = this.end;
    const c = src.charCodeAt(at);
    if (c < 128 && KEY_START_FORBIDDEN[c] === 1) return -1;
    if (c === DASH && (at + 1 === end || src.charCodeAt(at + 1) === SPACE)) return -1;
    let hash = 0;
    for (let i = at; i < end; i++) {
      const code = src.charCodeAt(i);
      if (code === COLON && (i + 1 === end || src.charCodeAt(i + 1) === SPACE)) {
        this.hash = hash;
        return i;
      }
      hash = Math.imul(hash ^ code, 16777619);
    }
    return -1;
  }

  /** The key from `at` to its `:` at `colon` (see scanKey), or a give-up on keys outside the subset. */
  private key(at: number, colon: number): string {
    const slot = (this.hash ^ (this.hash >>> 15)) & (CACHE_SIZE - 1);
    const seen = this.keyText[slot];
    // A cached key passed the checks below, and a longer key's own `:` would have come first.
    if (seen !== undefined && this.matches(seen, at, colon)) return seen;
    let key = this.src.slice(at, colon);
    if (colon > at && mayTrim(key.charCodeAt(key.length - 1))) key = key.trimEnd();
    if (key === '' || key.includes(' #') || key.includes('\t')) throw new GiveUp();
    let known = this.keys.get(key);
    if (known === undefined) {
      // The engine's own copy of the name (one it keeps for property names): storing under a
      // plain slice would make it look that copy up on every store.
      known = Object.keys({ [key]: 0 })[0]!;
      this.keys.set(key, known);
    }
    // Only a key with nothing trimmed is found again by its text.
    if (known.length === colon - at) this.keyText[slot] = known;
    return known;
  }

  /** Whether the text from `at` to `end` is `seen` (compared here: `startsWith` costs more). */
  private matches(seen: string, at: number, end: number): boolean {
    if (seen.length !== end - at) return false;
    const src = this.src;
    for (let i = 0; i < seen.length; i++) if (src.charCodeAt(at + i) !== seen.charCodeAt(i)) return false;
    return true;
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
    return this.isItem(this.start) ? this.sequence(indent) : this.mapping(indent);
  }

  /** The scalar from `at` to `end` (not empty, not starting with a space). */
  private scalar(at: number, end: number, line: number): unknown {
    const src = this.src;
    const c = src.charCodeAt(at);
    if (c === 35) return null; // `#`: only a comment follows
    if (c === 34) return doubleQuoted(src.slice(at, end));
    if (c === 39) return singleQuoted(src.slice(at, end));
    if ((c === 91 || c === 123) && src.charCodeAt(at + 1) === c + 2) {
      afterScalar(src.slice(at + 2, end));
      const empty = c === 91 ? [] : {};
      this.lines?.set(empty, { self: line, at: c === 91 ? [] : {} });
      return empty;
    }
    if (c < 128 && VALUE_START_FORBIDDEN[c] === 1) throw new GiveUp();
    if ((c === DASH || c === COLON) && (at + 1 === end || src.charCodeAt(at + 1) === SPACE)) {
      if (c === DASH || at + 1 < end) throw new GiveUp();
    }
    const stop = this.scanPlain(at, end);
    const slot = (this.hash ^ (this.hash >>> 15)) & (CACHE_SIZE - 1);
    const seen = this.valueText[slot];
    if (seen !== undefined && this.matches(seen, at, stop)) return this.valueOf[slot];
    let text = src.slice(at, stop);
    if (mayTrim(text.charCodeAt(text.length - 1))) text = text.trimEnd();
    if (text.includes(': ') || text.endsWith(':') || text.includes('\t')) throw new GiveUp();
    const value = resolvePlain(text);
    // Only a value with nothing trimmed is found again by its text.
    if (text.length === stop - at) {
      this.valueText[slot] = text;
      this.valueOf[slot] = value;
    }
    return value;
  }

  /**
   * Where a plain scalar starting at `at` ends: at ` #` (a comment) or at `end`. Hashes the
   * text before that into `hash`.
   */
  private scanPlain(at: number, end: number): number {
    const src = this.src;
    let hash = 0;
    for (let i = at; i < end; i++) {
      const code = src.charCodeAt(i);
      if (code === SPACE && src.charCodeAt(i + 1) === 35 && i + 1 < end) {
        this.hash = hash;
        return i;
      }
      hash = Math.imul(hash ^ code, 16777619);
    }
    this.hash = hash;
    return end;
  }

  /** The value after `key:` with nothing on the line: a nested block, or null. */
  private nested(indent: number, allowIndentless: boolean): unknown {
    if (this.indent > indent) return this.block(this.indent);
    if (allowIndentless && this.indent === indent && this.isItem(this.start)) return this.sequence(indent);
    return null;
  }

  /** The first position from `at` on the current line that is not whitespace (as trimStart sees it). */
  private skipSpace(at: number): number {
    const src = this.src;
    const end = this.end;
    while (at < end && src.charCodeAt(at) === SPACE) at++;
    if (at < end && mayTrim(src.charCodeAt(at))) {
      const rest = src.slice(at, end);
      at += rest.length - rest.trimStart().length;
    }
    return at;
  }

  private mapping(indent: number): Record<string, unknown> {
    const obj: Record<string, unknown> = {};
    const at: Record<string, number> | undefined = this.lines ? {} : undefined;
    const self = this.line;
    while (this.indent === indent && !this.isItem(this.start)) {
      const start = this.start;
      const end = this.end;
      const colon = this.scanKey(start);
      if (colon < 0) throw new GiveUp();
      const key = this.key(start, colon);
      if (key === '__proto__' || Object.hasOwn(obj, key)) throw new GiveUp();
      const from = colon + 1 < end ? this.skipSpace(colon + 1) : end;
      const line = this.line;
      if (at) at[key] = line;
      this.advance();
      obj[key] = from === end ? this.nested(indent, true) : this.scalar(from, end, line);
    }
    this.checkDedent(indent);
    if (at) this.lines!.set(obj, { self, at });
    return obj;
  }

  private sequence(indent: number): unknown[] {
    const arr: unknown[] = [];
    const at: number[] | undefined = this.lines ? [] : undefined;
    const self = this.line;
    while (this.indent === indent && this.isItem(this.start)) {
      const line = this.line;
      at?.push(line);
      const start = this.start;
      const end = this.end;
      const rest = start + 1 < end ? this.skipSpace(start + 1) : end;
      if (rest === end || this.src.charCodeAt(rest) === 35) {
        this.advance();
        arr.push(this.nested(indent, false));
      } else if (this.isItem(rest)) {
        throw new GiveUp();
      } else if (this.scanKey(rest) >= 0) {
        // `- key: value` opens a mapping whose keys line up with `key`.
        this.indent = indent + rest - start;
        this.start = rest;
        arr.push(this.mapping(this.indent));
      } else {
        this.advance();
        arr.push(this.scalar(rest, end, line));
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
