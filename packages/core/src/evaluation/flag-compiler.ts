import { type CompiledFlag, compileFlag } from './compiled-flag.ts';
import { parseFlag, type SegmentCache } from './parse-snapshot.ts';
import { SegmentCompiler } from './segment-matcher.ts';

/**
 * Validates and compiles client-document flags one at a time, so a snapshot can recompile only
 * the flags a write touched and keep the rest. Segment objects shared between the flags of one
 * compiler are parsed and compiled once, as createEvaluator does for a whole document.
 */
export class FlagCompiler {
  readonly #parsed: SegmentCache = new Map();
  readonly #segments = new SegmentCompiler();

  /** Throws EnsignError invalid_argument `invalid snapshot: <path> <problem>`. */
  compile(flag: unknown, path: string): CompiledFlag {
    return compileFlag(parseFlag(flag, path, this.#parsed), this.#segments);
  }
}
