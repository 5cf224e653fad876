import { useState } from 'preact/hooks';
import { api, nsPath } from '../api/client.ts';
import type { Flag } from '../api/types.ts';
import { Field, FormError, TextField } from '../components/fields.tsx';
import { JsonEditor, jsonProblem } from '../components/json-editor.tsx';
import { useAction } from '../components/use-action.ts';
import { useSession } from '../state/session.ts';
import { useLoad } from '../state/use-load.ts';

// The evaluation console: asks the server exactly as an SDK would (/evaluate/v1/variant or
// /boolean) and shows the answer and the reason.

interface Answer {
  flagKey: string;
  reason: string;
  segmentKeys: string[];
  match?: boolean;
  variantKey?: string;
  variantAttachment?: string;
  enabled?: boolean;
  requestDurationMillis: number;
}

const REASONS: Record<string, string> = {
  MATCH_EVALUATION_REASON: 'a rule or rollout matched',
  DEFAULT_EVALUATION_REASON: 'nothing matched: the default applies',
  FLAG_DISABLED_EVALUATION_REASON: 'the flag is disabled',
  UNKNOWN_EVALUATION_REASON: 'unknown',
};

export function ConsolePage() {
  const { namespace, revision } = useSession();
  const flags = useLoad(
    () => api<{ flags: Flag[] }>('GET', `${nsPath(namespace)}/flags`),
    [namespace, revision],
  );
  const [flagKey, setFlagKey] = useState('');
  const [entityId, setEntityId] = useState<string>(() => crypto.randomUUID());
  const [context, setContext] = useState('{}');
  const [answer, setAnswer] = useState<Answer | null>(null);
  const action = useAction(['flagKey', 'entityId', 'context']);
  const list = [...(flags.data?.flags ?? [])].sort((a, b) => a.key.localeCompare(b.key));
  const key = flagKey || list[0]?.key || '';
  const flag = list.find((f) => f.key === key);
  const body = () => ({
    namespaceKey: namespace,
    flagKey: key,
    entityId,
    context: JSON.parse(context || '{}'),
  });
  const kind = flag?.type === 'BOOLEAN_FLAG_TYPE' ? 'boolean' : 'variant';

  return (
    <div class="page narrow">
      <h1>Console</h1>
      <form
        class="card"
        onSubmit={async (e) => {
          e.preventDefault();
          if (jsonProblem(context, { objectOnly: true })) return;
          setAnswer(null);
          await action.run(async () => setAnswer(await api<Answer>('POST', `/evaluate/v1/${kind}`, body())));
        }}
      >
        <Field label="Flag" error={action.errorFor('flagKey')}>
          {(id) => (
            <select
              id={id}
              name="flagKey"
              value={key}
              onChange={(e) => setFlagKey((e.currentTarget as HTMLSelectElement).value)}
            >
              {list.map((f) => (
                <option key={f.key} value={f.key}>
                  {f.key} ({f.type === 'BOOLEAN_FLAG_TYPE' ? 'boolean' : 'variant'})
                </option>
              ))}
            </select>
          )}
        </Field>
        <div class="row">
          <TextField
            label="Entity id"
            name="entityId"
            value={entityId}
            onInput={setEntityId}
            error={action.errorFor('entityId')}
          />
          <button type="button" class="ghost" onClick={() => setEntityId(crypto.randomUUID())}>
            New random id
          </button>
        </div>
        <JsonEditor
          label="Context (JSON object of strings)"
          value={context}
          onInput={setContext}
          objectOnly
          error={action.errorFor('context')}
        />
        <FormError message={action.general} />
        <div class="actions">
          <button type="submit" disabled={action.busy || !key}>
            Evaluate
          </button>
        </div>
      </form>
      {answer && (
        <section class="card answer" aria-label="Result" aria-live="polite">
          <h2>Result</h2>
          <dl class="facts">
            {answer.enabled !== undefined ? (
              <>
                <dt>Enabled</dt>
                <dd data-testid="answer-value">{String(answer.enabled)}</dd>
              </>
            ) : (
              <>
                <dt>Match</dt>
                <dd>{String(answer.match)}</dd>
                <dt>Variant</dt>
                <dd data-testid="answer-value">{answer.variantKey || '—'}</dd>
                {answer.variantAttachment && (
                  <>
                    <dt>Attachment</dt>
                    <dd>
                      <code>{answer.variantAttachment}</code>
                    </dd>
                  </>
                )}
              </>
            )}
            <dt>Why</dt>
            <dd data-testid="answer-reason">
              {answer.reason} — {REASONS[answer.reason] ?? ''}
            </dd>
            <dt>Segments</dt>
            <dd>{answer.segmentKeys.join(', ') || '—'}</dd>
            <dt>Took</dt>
            <dd>{answer.requestDurationMillis.toFixed(3)} ms</dd>
          </dl>
          <details>
            <summary>As curl</summary>
            <pre>
              {`curl -X POST ${location.origin}/evaluate/v1/${kind} -H 'Content-Type: application/json' -d '${JSON.stringify(body())}'`}
            </pre>
          </details>
        </section>
      )}
    </div>
  );
}
