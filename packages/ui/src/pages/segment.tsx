import { useState } from 'preact/hooks';
import { api, enc, nsPath } from '../api/client.ts';
import type { Constraint, MatchType, Segment } from '../api/types.ts';
import { FormError, Section, TextField } from '../components/fields.tsx';
import { History } from '../components/history.tsx';
import { useAction } from '../components/use-action.ts';
import { link, navigate } from '../router.ts';
import { ConstraintForm } from '../segment/constraint-form.tsx';
import { isOneOf, operatorLabel, TYPE_LABELS } from '../segment/constraint-kinds.ts';
import { MatchTypeChoice } from '../segment/match-type.tsx';
import { useSession } from '../state/session.ts';
import { useLoad } from '../state/use-load.ts';

function describeValue(c: Constraint): string {
  if (!c.value) return '';
  if (isOneOf(c.operator)) return c.value;
  if (c.type === 'DATETIME_COMPARISON_TYPE') {
    const d = new Date(c.value);
    return Number.isNaN(d.getTime()) ? c.value : `${c.value} (${d.toLocaleString()})`;
  }
  return c.value;
}

function SegmentDetails({ segment, base, onSaved }: { segment: Segment; base: string; onSaved: () => void }) {
  const { namespace, readOnly } = useSession();
  const [name, setName] = useState(segment.name);
  const [description, setDescription] = useState(segment.description);
  const [matchType, setMatchType] = useState<MatchType>(segment.matchType);
  const [confirming, setConfirming] = useState(false);
  const action = useAction(['name', 'description']);
  if (readOnly)
    return (
      <Section title="Details">
        <dl class="facts">
          <dt>Name</dt>
          <dd>{segment.name}</dd>
          <dt>Description</dt>
          <dd>{segment.description || '—'}</dd>
          <dt>Match</dt>
          <dd>{segment.matchType === 'ANY_MATCH_TYPE' ? 'Any constraint' : 'All constraints'}</dd>
        </dl>
      </Section>
    );
  return (
    <Section title="Details">
      <form
        onSubmit={async (e) => {
          e.preventDefault();
          if (await action.run(() => api('PUT', base, { key: segment.key, name, description, matchType })))
            onSaved();
        }}
      >
        <TextField
          label="Name"
          name="name"
          value={name}
          onInput={setName}
          error={action.errorFor('name')}
          required
        />
        <TextField label="Description" name="description" value={description} onInput={setDescription} />
        <MatchTypeChoice value={matchType} onChange={setMatchType} />
        <FormError message={action.general} />
        <div class="actions">
          <button type="submit" disabled={action.busy}>
            Save
          </button>
          {confirming ? (
            <>
              <span>Delete segment “{segment.key}”?</span>
              <button
                type="button"
                class="danger"
                onClick={async () => {
                  if (await action.run(() => api('DELETE', base)))
                    navigate(`/namespaces/${encodeURIComponent(namespace)}/segments`);
                }}
              >
                Yes, delete
              </button>
              <button type="button" class="ghost" onClick={() => setConfirming(false)}>
                Cancel
              </button>
            </>
          ) : (
            <button type="button" class="ghost danger-text" onClick={() => setConfirming(true)}>
              Delete segment
            </button>
          )}
        </div>
      </form>
    </Section>
  );
}

export function SegmentPage({ segmentKey }: { segmentKey: string }) {
  const { namespace, readOnly, revision } = useSession();
  const base = `${nsPath(namespace)}/segments/${enc(segmentKey)}`;
  const loaded = useLoad(() => api<Segment>('GET', base), [base, revision]);
  const [editing, setEditing] = useState<string | null>(null);
  const action = useAction();
  const ns = encodeURIComponent(namespace);
  if (loaded.error && !loaded.data)
    return (
      <div class="page">
        <p role="alert" class="form-error">
          {loaded.error.message}
        </p>
        <a href={link(`/namespaces/${ns}/segments`)}>Back to segments</a>
      </div>
    );
  const segment = loaded.data;
  if (!segment) return <p class="page">Loading…</p>;
  return (
    <div class="page">
      <nav class="crumbs" aria-label="Breadcrumb">
        <a href={link(`/namespaces/${ns}/segments`)}>Segments</a> / <span>{segment.key}</span>
      </nav>
      <div class="page-head">
        <h1>{segment.name || segment.key}</h1>
      </div>
      <div class="columns">
        <div>
          <SegmentDetails key={segment.updatedAt} segment={segment} base={base} onSaved={loaded.reload} />
          <History kind="segment" subjectKey={segment.key} />
        </div>
        <Section title="Constraints">
          {segment.constraints.length === 0 && (
            <p class="empty">No constraints: this segment matches every entity.</p>
          )}
          <ul class="items">
            {segment.constraints.map((c) =>
              editing === c.id ? (
                <li key={c.id}>
                  <ConstraintForm
                    base={base}
                    segmentKey={segment.key}
                    constraint={c}
                    onDone={() => {
                      setEditing(null);
                      loaded.reload();
                    }}
                    onCancel={() => setEditing(null)}
                  />
                </li>
              ) : (
                <li key={c.id} class="item constraint">
                  <div>
                    <span class="badge">{TYPE_LABELS[c.type]}</span> <code>{c.property}</code>{' '}
                    {operatorLabel(c.operator)} <code>{describeValue(c)}</code>
                    {c.description && <p class="muted">{c.description}</p>}
                  </div>
                  {!readOnly && (
                    <div class="item-actions">
                      <button
                        type="button"
                        class="ghost"
                        aria-label={`Edit constraint on ${c.property}`}
                        onClick={() => setEditing(c.id)}
                      >
                        Edit
                      </button>
                      <button
                        type="button"
                        class="ghost danger-text"
                        aria-label={`Delete constraint on ${c.property}`}
                        onClick={() =>
                          action.run(() =>
                            api('DELETE', `${base}/constraints/${enc(c.id)}`).then(loaded.reload),
                          )
                        }
                      >
                        Delete
                      </button>
                    </div>
                  )}
                </li>
              ),
            )}
          </ul>
          <FormError message={action.general} />
          {!readOnly && <ConstraintForm base={base} segmentKey={segment.key} onDone={loaded.reload} />}
        </Section>
      </div>
    </div>
  );
}
