import { useState } from 'preact/hooks';
import { api, enc } from '../api/client.ts';
import type { Flag, Variant } from '../api/types.ts';
import { Field, FormError, Section, TextField } from '../components/fields.tsx';
import { JsonEditor, jsonProblem, prettyJson } from '../components/json-editor.tsx';
import { useAction } from '../components/use-action.ts';
import { useSession } from '../state/session.ts';
import { flagPath, updateFlag } from './flag-api.ts';

function VariantForm(props: { flag: Flag; variant?: Variant; onDone: () => void; onCancel?: () => void }) {
  const { namespace } = useSession();
  const v = props.variant;
  const [key, setKey] = useState(v?.key ?? '');
  const [name, setName] = useState(v?.name ?? '');
  const [description, setDescription] = useState(v?.description ?? '');
  const [attachment, setAttachment] = useState(prettyJson(v?.attachment ?? ''));
  const action = useAction(['key', 'name', 'description', 'attachment']);
  const base = `${flagPath(namespace, props.flag.key)}/variants`;

  return (
    <form
      class="subform"
      aria-label={v ? `Edit variant ${v.key}` : 'New variant'}
      onSubmit={async (e) => {
        e.preventDefault();
        if (jsonProblem(attachment)) return;
        const body = { key, name, description, attachment: attachment.trim() };
        const ok = await action.run(() =>
          v ? api('PUT', `${base}/${enc(v.id)}`, { ...body, id: v.id }) : api('POST', base, body),
        );
        if (ok) {
          if (!v) {
            setKey('');
            setName('');
            setDescription('');
            setAttachment('');
          }
          props.onDone();
        }
      }}
    >
      <div class="row">
        <TextField
          label="Key"
          name="key"
          value={key}
          onInput={setKey}
          error={action.errorFor('key')}
          required
        />
        <TextField label="Name" name="name" value={name} onInput={setName} error={action.errorFor('name')} />
      </div>
      <TextField label="Description" name="description" value={description} onInput={setDescription} />
      <JsonEditor
        label="Attachment (JSON)"
        value={attachment}
        onInput={setAttachment}
        error={action.errorFor('attachment')}
      />
      <FormError message={action.general} />
      <div class="actions">
        <button type="submit" disabled={action.busy || jsonProblem(attachment) !== undefined}>
          {v ? 'Save variant' : 'Add variant'}
        </button>
        {props.onCancel && (
          <button type="button" class="ghost" onClick={props.onCancel}>
            Cancel
          </button>
        )}
      </div>
    </form>
  );
}

export function Variants({ flag, onChanged }: { flag: Flag; onChanged: () => void }) {
  const { namespace, readOnly } = useSession();
  const [editing, setEditing] = useState<string | null>(null);
  const action = useAction();
  const base = `${flagPath(namespace, flag.key)}/variants`;

  return (
    <Section title="Variants">
      {flag.variants.length === 0 && <p class="empty">No variants yet.</p>}
      <ul class="items">
        {flag.variants.map((v) =>
          editing === v.id ? (
            <li key={v.id}>
              <VariantForm
                flag={flag}
                variant={v}
                onDone={() => {
                  setEditing(null);
                  onChanged();
                }}
                onCancel={() => setEditing(null)}
              />
            </li>
          ) : (
            <li key={v.id} class="item">
              <div>
                <strong>{v.key}</strong> {v.name && <span class="muted">{v.name}</span>}
                {flag.defaultVariant?.id === v.id && <span class="badge">default</span>}
                {v.description && <p class="muted">{v.description}</p>}
                {v.attachment && <code class="attachment">{v.attachment}</code>}
              </div>
              {!readOnly && (
                <div class="item-actions">
                  <button
                    type="button"
                    class="ghost"
                    onClick={() => setEditing(v.id)}
                    aria-label={`Edit variant ${v.key}`}
                  >
                    Edit
                  </button>
                  <button
                    type="button"
                    class="ghost danger-text"
                    aria-label={`Delete variant ${v.key}`}
                    onClick={() => action.run(() => api('DELETE', `${base}/${enc(v.id)}`).then(onChanged))}
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
      {!readOnly && <VariantForm flag={flag} onDone={onChanged} />}
      {flag.variants.length > 0 && (
        <Field label="Default variant (returned when no rule matches)">
          {(id) => (
            <select
              id={id}
              disabled={readOnly || action.busy}
              value={flag.defaultVariant?.id ?? ''}
              onChange={(e) =>
                action.run(() =>
                  updateFlag(namespace, flag, {
                    defaultVariantId: (e.currentTarget as HTMLSelectElement).value,
                  }).then(onChanged),
                )
              }
            >
              <option value="">None</option>
              {flag.variants.map((v) => (
                <option key={v.id} value={v.id}>
                  {v.key}
                </option>
              ))}
            </select>
          )}
        </Field>
      )}
    </Section>
  );
}
