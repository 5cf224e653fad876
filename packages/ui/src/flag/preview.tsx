import { createEvaluator } from '@ensign/core/evaluation';
import { useMemo, useState } from 'preact/hooks';
import { api, enc } from '../api/client.ts';
import type { Flag } from '../api/types.ts';
import { Section } from '../components/fields.tsx';
import { JsonEditor, jsonProblem } from '../components/json-editor.tsx';
import { useSession } from '../state/session.ts';
import { useLoad } from '../state/use-load.ts';

// "Who gets what": the namespace's client snapshot evaluated in the browser by @ensign/core (the
// same evaluator the SDKs use) over generated entity ids, so an edit's effect shows before any
// user sees it. Loaded as a separate chunk: the evaluator stays out of the first page load.

const ENTITIES = 1000;

interface Tally {
  outcomes: [string, number][];
  reasons: [string, number][];
  samples: { entityId: string; outcome: string; reason: string; segments: string }[];
}

function tally(document: unknown, namespaceKey: string, flag: Flag, context: Record<string, string>): Tally {
  const evaluator = createEvaluator(document);
  const outcomes = new Map<string, number>();
  const reasons = new Map<string, number>();
  const samples: Tally['samples'] = [];
  const bump = (m: Map<string, number>, k: string) => m.set(k, (m.get(k) ?? 0) + 1);
  for (let i = 0; i < ENTITIES; i++) {
    const request = { namespaceKey, flagKey: flag.key, entityId: `entity-${i}`, context };
    let outcome: string;
    let reason: string;
    let segments: string[];
    if (flag.type === 'BOOLEAN_FLAG_TYPE') {
      const r = evaluator.boolean(request);
      outcome = String(r.enabled);
      ({ reason, segmentKeys: segments } = r);
    } else {
      const r = evaluator.variant(request);
      outcome = r.variantKey || '(no variant)';
      ({ reason, segmentKeys: segments } = r);
    }
    reason = reason.replace('_EVALUATION_REASON', '').toLowerCase();
    bump(outcomes, outcome);
    bump(reasons, reason);
    if (i < 5) samples.push({ entityId: request.entityId, outcome, reason, segments: segments.join(', ') });
  }
  const sorted = (m: Map<string, number>) => [...m].sort((a, b) => b[1] - a[1]);
  return { outcomes: sorted(outcomes), reasons: sorted(reasons), samples };
}

export function Preview({ flag }: { flag: Flag }) {
  const { namespace, revision } = useSession();
  const [contextText, setContextText] = useState('{}');
  const snapshot = useLoad(
    () => api<unknown>('GET', `/internal/v1/evaluation/snapshot/namespace/${enc(namespace)}`),
    [namespace, revision, flag.updatedAt],
  );
  const contextProblem = jsonProblem(contextText, { objectOnly: true });
  const result = useMemo(() => {
    if (!snapshot.data || contextProblem) return undefined;
    try {
      const raw = JSON.parse(contextText || '{}') as Record<string, unknown>;
      const context = Object.fromEntries(Object.entries(raw).map(([k, v]) => [k, String(v)]));
      return tally(snapshot.data, namespace, flag, context);
    } catch (e) {
      return e as Error;
    }
  }, [snapshot.data, namespace, contextText, flag, contextProblem]);

  return (
    <Section title="Who gets what">
      <p class="hint">
        {ENTITIES} generated entity ids (entity-0 … entity-{ENTITIES - 1}) evaluated in your browser with this
        context, against the flag as saved.
      </p>
      <JsonEditor
        label="Context for the preview"
        value={contextText}
        onInput={setContextText}
        objectOnly
        rows={3}
      />
      {snapshot.error && <p class="form-error">{snapshot.error.message}</p>}
      {result instanceof Error && <p class="form-error">{result.message}</p>}
      {result && !(result instanceof Error) && (
        <div class="preview" data-testid="preview">
          <ul class="chart" aria-label="Outcomes">
            {result.outcomes.map(([outcome, n]) => (
              <li key={outcome}>
                <span class="label">{outcome}</span>
                <span class="bar" aria-hidden="true">
                  <span style={{ width: `${(n / ENTITIES) * 100}%` }} />
                </span>
                <span class="count">{((n / ENTITIES) * 100).toFixed(1)}%</span>
              </li>
            ))}
          </ul>
          <p class="muted">
            Why: {result.reasons.map(([r, n]) => `${r} ${((n / ENTITIES) * 100).toFixed(1)}%`).join(' · ')}
          </p>
          <div class="table-wrap">
            <table>
              <caption class="visually-hidden">Sample entities</caption>
              <thead>
                <tr>
                  <th>Entity</th>
                  <th>Gets</th>
                  <th>Why</th>
                  <th>Segments</th>
                </tr>
              </thead>
              <tbody>
                {result.samples.map((s) => (
                  <tr key={s.entityId}>
                    <td>{s.entityId}</td>
                    <td>{s.outcome}</td>
                    <td>{s.reason}</td>
                    <td>{s.segments || '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </Section>
  );
}
