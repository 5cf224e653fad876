// Hex text of hash words, made as one flat string from character codes: built by concatenation
// it would be a rope of several pieces, and snapshots keep one id per variant, rule and
// distribution and one digest per flag and segment.

const DIGITS = Array.from('0123456789abcdef', (digit) => digit.charCodeAt(0));

/** Writes the low `count` hex digits of `value` into `codes` from `at`, most significant first. */
export function putHex(codes: number[], at: number, value: number, count: number): void {
  for (let i = at + count - 1; i >= at; i--, value >>>= 4) codes[i] = DIGITS[value & 15]!;
}

/** The text of `codes`, in one piece. */
export const textOf = (codes: readonly number[]): string =>
  String.fromCharCode.apply(null, codes as number[]);
