import { flagNotFound, invalidArgument } from '../errors/index.ts';
import { type CompiledFlag, compileFlag } from './compiled-flag.ts';
import type { EvaluationContext } from './constraint-matcher.ts';
import { evaluateBoolean } from './evaluate-boolean.ts';
import { evaluateVariant } from './evaluate-variant.ts';
import { parseSnapshot } from './parse-snapshot.ts';
import { SegmentCompiler } from './segment-matcher.ts';
import type {
  BatchEvaluationResponse,
  BooleanEvaluationResponse,
  EvaluationRequest,
  EvaluationResponse,
  Evaluator,
  FlagSummary,
  VariantEvaluationResponse,
} from './types.ts';

const NO_CONTEXT: EvaluationContext = Object.freeze({});

class CompiledEvaluator implements Evaluator {
  readonly namespaceKey: string;
  readonly #byKey: (key: string) => CompiledFlag | undefined;
  // Listed on first use: a write to a large namespace must not pay for a list nobody asked for.
  #ordered: (() => readonly CompiledFlag[]) | undefined;
  #summaries: readonly FlagSummary[] | undefined;

  constructor(
    namespaceKey: string,
    find: (key: string) => CompiledFlag | undefined,
    ordered: () => readonly CompiledFlag[],
  ) {
    this.namespaceKey = namespaceKey;
    this.#byKey = find;
    this.#ordered = ordered;
  }

  /** The flag, or undefined when the request's namespace is not this one or the key is unknown. */
  #lookup(request: EvaluationRequest): CompiledFlag | undefined {
    const namespaceKey = request.namespaceKey || 'default';
    return namespaceKey === this.namespaceKey ? this.#byKey(request.flagKey) : undefined;
  }

  #find(request: EvaluationRequest): CompiledFlag {
    const flag = this.#lookup(request);
    if (!flag) throw flagNotFound(request.namespaceKey || 'default', request.flagKey);
    return flag;
  }

  variant(request: EvaluationRequest): VariantEvaluationResponse {
    const flag = this.#find(request);
    if (flag.isBoolean) throw invalidArgument('flag type BOOLEAN_FLAG_TYPE invalid');
    return evaluateVariant(
      flag,
      request.requestId ?? '',
      request.entityId ?? '',
      request.context ?? NO_CONTEXT,
    );
  }

  boolean(request: EvaluationRequest): BooleanEvaluationResponse {
    const flag = this.#find(request);
    if (!flag.isBoolean) throw invalidArgument('flag type VARIANT_FLAG_TYPE invalid');
    return evaluateBoolean(
      flag,
      request.requestId ?? '',
      request.entityId ?? '',
      request.context ?? NO_CONTEXT,
    );
  }

  batch(requests: readonly EvaluationRequest[]): BatchEvaluationResponse {
    const responses: EvaluationResponse[] = requests.map((request) => {
      const flag = this.#lookup(request);
      if (!flag) {
        return {
          type: 'ERROR_EVALUATION_RESPONSE_TYPE',
          errorResponse: {
            flagKey: request.flagKey,
            namespaceKey: request.namespaceKey || 'default',
            reason: 'NOT_FOUND_ERROR_EVALUATION_REASON',
          },
        };
      }
      const requestId = request.requestId ?? '';
      const entityId = request.entityId ?? '';
      const context = request.context ?? NO_CONTEXT;
      return flag.isBoolean
        ? {
            type: 'BOOLEAN_EVALUATION_RESPONSE_TYPE',
            booleanResponse: evaluateBoolean(flag, requestId, entityId, context),
          }
        : {
            type: 'VARIANT_EVALUATION_RESPONSE_TYPE',
            variantResponse: evaluateVariant(flag, requestId, entityId, context),
          };
    });
    return { requestId: '', responses, requestDurationMillis: 0 };
  }

  flags(): readonly FlagSummary[] {
    if (!this.#summaries) {
      this.#summaries = Object.freeze(this.#ordered!().map((flag) => Object.freeze(flag.summary)));
      this.#ordered = undefined;
    }
    return this.#summaries;
  }

  hasFlag(key: string): boolean {
    return this.#byKey(key) !== undefined;
  }

  flag(key: string): FlagSummary | undefined {
    return this.#byKey(key)?.summary;
  }
}

/**
 * An evaluator over flags compiled one by one (see FlagCompiler): `find` looks one up by key,
 * `ordered` lists them in document order and is called at most once, when first needed.
 */
export function evaluatorOf(
  namespaceKey: string,
  find: (key: string) => CompiledFlag | undefined,
  ordered: () => readonly CompiledFlag[],
): Evaluator {
  return new CompiledEvaluator(namespaceKey, find, ordered);
}

/**
 * Compiles the client snapshot document of one namespace. Throws EnsignError invalid_argument
 * (`invalid snapshot: <path> <problem>`) when the document is structurally invalid.
 */
export function createEvaluator(document: unknown): Evaluator {
  const namespace = parseSnapshot(document);
  const segments = new SegmentCompiler();
  const flags = namespace.flags.map((flag) => compileFlag(flag, segments));
  const byKey = new Map(flags.map((flag) => [flag.key, flag]));
  return new CompiledEvaluator(
    namespace.key,
    (key) => byKey.get(key),
    () => flags,
  );
}
