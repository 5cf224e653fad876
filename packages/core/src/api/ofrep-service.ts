import { invalidArgument, notFound } from '../errors/index.ts';
import type { EvaluationReason } from '../evaluation/types.ts';
import type { EvaluationService } from './evaluation-service.ts';
import { namespaceKeyOf } from './namespace-key.ts';
import type { SnapshotReader } from './serving-snapshot.ts';

// OFREP as Flipt serves it (docs/ofrep.md): single and bulk evaluation
// over the same evaluation service as /evaluate/v1, so metrics and semantics are shared.

export type OfrepReason = 'TARGETING_MATCH' | 'DEFAULT' | 'DISABLED' | 'UNKNOWN';

export interface OfrepEvaluatedFlag {
  key: string;
  reason: OfrepReason;
  variant: string;
  metadata: Record<string, string>;
  value: string | boolean;
}

export interface OfrepBulkResult {
  flags: OfrepEvaluatedFlag[];
}

/** OFREP contexts are free-form JSON; Flipt's evaluation context is string to string. */
export type OfrepContext = Record<string, unknown>;

export interface OfrepService {
  evaluateFlag(namespaceKey: string | undefined, key: string, context: OfrepContext): OfrepEvaluatedFlag;
  evaluateBulk(namespaceKey: string | undefined, context: OfrepContext): OfrepBulkResult;
  configuration(): OfrepConfiguration;
}

export interface OfrepConfiguration {
  name: 'flipt';
  capabilities: {
    cacheInvalidation: { polling: { enabled: boolean; minPollingIntervalMs: number } };
    flagEvaluation: { supportedTypes: string[] };
  };
}

const REASONS: Readonly<Record<EvaluationReason, OfrepReason>> = {
  MATCH_EVALUATION_REASON: 'TARGETING_MATCH',
  DEFAULT_EVALUATION_REASON: 'DEFAULT',
  FLAG_DISABLED_EVALUATION_REASON: 'DISABLED',
  UNKNOWN_EVALUATION_REASON: 'UNKNOWN',
};

/**
 * Scalars are stringified (OpenFeature contexts carry numbers and booleans; Flipt's constraints
 * compare strings anyway); nested values are passed as their JSON text; null is dropped.
 */
function toFliptContext(context: OfrepContext): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(context)) {
    if (v === null || v === undefined) continue;
    out[k] = typeof v === 'string' ? v : typeof v === 'object' ? JSON.stringify(v) : String(v);
  }
  return out;
}

/** Flipt substitutes a random (non-sticky) targeting key when none is given. */
function targetingKeyOf(context: Record<string, string>): string {
  return context['targetingKey'] || crypto.randomUUID();
}

export function createOfrepService(deps: {
  source: SnapshotReader;
  evaluation: EvaluationService;
}): OfrepService {
  const { source, evaluation } = deps;

  function evaluate(
    nsKey: string,
    key: string,
    context: Record<string, string>,
    entityId: string,
  ): OfrepEvaluatedFlag {
    if (!key) throw invalidArgument('flag key was not provided');
    const flag = source.current().namespace(nsKey)?.evaluator.flag(key);
    if (!flag) throw notFound(`flag was not found ${key}`);
    const request = { namespaceKey: nsKey, flagKey: key, entityId, context };
    if (flag.type === 'BOOLEAN_FLAG_TYPE') {
      const r = evaluation.boolean(request);
      return {
        key,
        reason: REASONS[r.reason],
        variant: r.enabled ? 'true' : 'false',
        metadata: {},
        value: r.enabled,
      };
    }
    const r = evaluation.variant(request);
    const metadata: Record<string, string> = {};
    if (r.variantAttachment) metadata['attachment'] = r.variantAttachment;
    if (r.segmentKeys.length > 0) metadata['segments'] = r.segmentKeys.join(',');
    return { key, reason: REASONS[r.reason], variant: r.variantKey, metadata, value: r.variantKey };
  }

  return {
    evaluateFlag(namespaceKey, key, context) {
      const ctx = toFliptContext(context);
      return evaluate(namespaceKeyOf(namespaceKey), key, ctx, targetingKeyOf(ctx));
    },

    evaluateBulk(namespaceKey, context) {
      const nsKey = namespaceKeyOf(namespaceKey);
      const ctx = toFliptContext(context);
      let keys: string[];
      const requested = ctx['flags'];
      if (requested) {
        keys = requested
          .split(',')
          .map((k) => k.trim())
          .filter((k) => k !== '');
      } else {
        const ns = source.current().namespace(nsKey);
        if (!ns) throw notFound(`namespace "${nsKey}" not found`);
        keys = [];
        // Flipt evaluates every boolean flag and the enabled variant flags.
        for (const f of ns.evaluator.flags()) {
          if (f.type === 'BOOLEAN_FLAG_TYPE' || f.enabled) keys.push(f.key);
        }
      }
      const entityId = targetingKeyOf(ctx);
      return { flags: keys.map((key) => evaluate(nsKey, key, ctx, entityId)) };
    },

    configuration() {
      return {
        name: 'flipt',
        capabilities: {
          cacheInvalidation: { polling: { enabled: false, minPollingIntervalMs: 0 } },
          flagEvaluation: { supportedTypes: ['string', 'boolean'] },
        },
      };
    },
  };
}
