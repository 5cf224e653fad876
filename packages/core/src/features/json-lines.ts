import type { Path } from './types.ts';

// Lines of a JSON document's keys and items, for problem messages. Validation asks for the line
// of every flag, segment and variant key (to name the first of two duplicates), so a JSON file
// needs positions on every load, not only when something is wrong. Building the `yaml` library's
// AST for that made one-line JSON load five times slower than block YAML (bench/feature-formats.ts);
// this single scan of text JSON.parse has already accepted costs a few milliseconds.

interface Lines {
  readonly array: boolean;
  /** Object: line of each key. Array: line where each item starts. */
  readonly at: Map<string | number, number>;
  /** The containers among the entries. */
  readonly children: Map<string | number, Lines>;
  readonly self: number;
}

const QUOTE = 34;
const BACKSLASH = 92;
const NEWLINE = 10;

/** Scans `text` (valid JSON) once, on the first question, and answers from that scan after. */
export function jsonLocator(text: string): (path: Path) => number {
  let root: Lines | null | undefined;
  return (path) => {
    if (root === undefined) {
      try {
        root = scan(text);
      } catch {
        // Deeper than the stack allows: the top of the document is still a place to point at.
        root = null;
      }
    }
    let node = root;
    let line = node?.self ?? 1;
    for (const segment of path) {
      if (!node) break;
      const key = node.array ? Number(segment) : String(segment);
      const at = node.at.get(key);
      if (at === undefined) break;
      line = at;
      node = node.children.get(key) ?? null;
    }
    return line;
  };
}

function scan(text: string): Lines | null {
  let pos = 0;
  let line = 1;

  function space(): void {
    for (;;) {
      const c = text.charCodeAt(pos);
      if (c === NEWLINE) line++;
      else if (c !== 32 && c !== 9 && c !== 13) return;
      pos++;
    }
  }

  /** At an opening quote: moves past the string and returns its text. */
  function string(): string {
    const start = pos + 1;
    let end = text.indexOf('"', start);
    // A quote preceded by an odd run of backslashes is escaped.
    for (;;) {
      let slashes = 0;
      while (text.charCodeAt(end - 1 - slashes) === BACKSLASH) slashes++;
      if (slashes % 2 === 0) break;
      end = text.indexOf('"', end + 1);
    }
    pos = end + 1;
    const raw = text.slice(start, end);
    return raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw;
  }

  function value(): Lines | null {
    space();
    const c = text.charCodeAt(pos);
    if (c === 123 || c === 91) return container(c === 91);
    if (c === QUOTE) {
      string();
      return null;
    }
    // A number, true, false or null: up to the next delimiter.
    while (pos < text.length) {
      const d = text.charCodeAt(pos);
      if (d === 44 || d === 125 || d === 93 || d === 32 || d === NEWLINE || d === 13 || d === 9) break;
      pos++;
    }
    return null;
  }

  function container(array: boolean): Lines {
    const node: Lines = { array, at: new Map(), children: new Map(), self: line };
    pos++;
    space();
    const close = array ? 93 : 125;
    if (text.charCodeAt(pos) === close) {
      pos++;
      return node;
    }
    for (let index = 0; ; index++) {
      space();
      // An object's entry is found at its key, an array's at the item.
      const at = line;
      let key: string | number = index;
      if (!array) {
        key = string();
        space();
        pos++; // the colon
      }
      // Later duplicates win, as JSON.parse keeps the last value.
      node.at.set(key, at);
      const child = value();
      if (child) node.children.set(key, child);
      else node.children.delete(key);
      space();
      if (text.charCodeAt(pos++) === close) return node;
    }
  }

  return value();
}
