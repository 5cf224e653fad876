import { hash128 } from './hash128.ts';

/**
 * A UUID (version 5 layout) derived from its parts, so rebuilding the same content gives the
 * same ids on every build and every replica. Parts are joined with a separator keys cannot hold.
 */
export function stableId(...parts: readonly (string | number)[]): string {
  const [a, b, c0, d] = hash128(parts.join('\u0000'));
  const c = ((c0 & 0x3fffffff) | 0x80000000) >>> 0;
  putWord(0, a);
  putByte(9, b >>> 24);
  putByte(11, (b >>> 16) & 255);
  codes[15] = DIGITS[(b >>> 8) & 15]!;
  putByte(16, b & 255);
  putByte(19, c >>> 24);
  putByte(21, (c >>> 16) & 255);
  putByte(24, (c >>> 8) & 255);
  putByte(26, c & 255);
  putWord(28, d);
  // One flat string from the character codes. Joining pieces with + or a template literal
  // leaves a rope of ~20 nodes per id, and a snapshot keeps one id per variant, rule and
  // distribution: 4.5 MB of ropes for the readonly-sized dataset.
  return String.fromCharCode.apply(null, codes);
}

const DIGITS = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));

/** The id being written, as character codes; the dashes and the version digit never change. */
const codes: number[] = Array.from('00000000-0000-5000-0000-000000000000', (ch) => ch.charCodeAt(0));

function putByte(at: number, byte: number): void {
  codes[at] = DIGITS[byte >>> 4]!;
  codes[at + 1] = DIGITS[byte & 15]!;
}

function putWord(at: number, word: number): void {
  putByte(at, word >>> 24);
  putByte(at + 2, (word >>> 16) & 255);
  putByte(at + 4, (word >>> 8) & 255);
  putByte(at + 6, word & 255);
}
