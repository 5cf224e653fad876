// The Node.js versions Ensign supports, and the check the published `ensign` launcher runs before
// loading anything else. The floor is set by what the code needs without flags: `node:sqlite`
// (22.13 on the 22 line) with the busy-timeout option (22.16), and TypeScript type stripping for
// running a checkout (22.18). Node 23 had both only in late releases and has reached end of life,
// so it is not claimed. Every package.json `engines.node` and the README state this same range
// (packages/server/test/package/node-range.test.ts holds them to it).

export const NODE_RANGE = '^22.18.0 || >=24';

/**
 * True when `version` (`22.18.0`, no `v`) is inside `range`, for ranges made of `^X.Y.Z` and
 * `>=X[.Y.Z]` alternatives joined by `||`: the only forms NODE_RANGE uses.
 */
export function nodeSatisfies(version: string, range: string): boolean {
  const parse = (text: string): number[] => text.split('.').map((part) => Number.parseInt(part, 10) || 0);
  const atLeast = (have: number[], want: number[]): boolean => {
    for (let i = 0; i < 3; i++) {
      if ((have[i] ?? 0) !== (want[i] ?? 0)) return (have[i] ?? 0) > (want[i] ?? 0);
    }
    return true;
  };
  const have = parse(version);
  return range.split('||').some((alternative) => {
    const text = alternative.trim();
    if (text.startsWith('^')) {
      const want = parse(text.slice(1));
      return have[0] === want[0] && atLeast(have, want);
    }
    if (text.startsWith('>=')) return atLeast(have, parse(text.slice(2)));
    throw new Error(`unsupported range form: ${text}`);
  });
}
