// Percentages of a rule's distributions, in hundredths so sums are exact. Flipt stores no more
// than 100 in total and the server does not check it (flipt-v1.md §1.8): the UI must.

/** Flipt's even split: 10000/n hundredths each, the remainder one hundredth at a time to the first. */
export function evenSplit(count: number): number[] {
  if (count <= 0) return [];
  const base = Math.floor(10000 / count);
  let rest = 10000 - base * count;
  return Array.from({ length: count }, () => {
    const extra = rest > 0 ? 1 : 0;
    rest -= extra;
    return (base + extra) / 100;
  });
}

const hundredths = (x: number) => Math.round(x * 100);

export const total = (values: readonly number[]): number =>
  values.reduce((sum, v) => sum + hundredths(v), 0) / 100;

/** The most `values[index]` may be while the sum stays at or below 100. */
export function maxFor(values: readonly number[], index: number): number {
  const others = values.reduce((sum, v, i) => (i === index ? sum : sum + hundredths(v)), 0);
  return Math.max(0, 10000 - others) / 100;
}

/** `values` with `values[index] = next`, clamped to [0, maxFor] and to two decimals. */
export function setShare(values: readonly number[], index: number, next: number): number[] {
  const clamped = Math.min(Math.max(Number.isFinite(next) ? next : 0, 0), maxFor(values, index));
  const out = values.slice();
  out[index] = hundredths(clamped) / 100;
  return out;
}
