import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { Flag } from '../api/types.ts';
import { FormError, Section, TextField, Toggle } from '../components/fields.tsx';
import { JsonEditor, jsonProblem } from '../components/json-editor.tsx';
import { useAction } from '../components/use-action.ts';
import { navigate } from '../router.ts';
import { useSession } from '../state/session.ts';
import { flagPath, updateFlag } from './flag-api.ts';

export function FlagDetails({ flag, onSaved }: { flag: Flag; onSaved: () => void }) {
  const { namespace, readOnly } = useSession();
  const [name, setName] = useState(flag.name);
  const [description, setDescription] = useState(flag.description);
  const [confirming, setConfirming] = useState(false);
  // Shown at once; the reload that follows the save (or a failure) settles it.
  const [enabled, setEnabled] = useState(flag.enabled);
  const [metadata, setMetadata] = useState(flag.metadata ? JSON.stringify(flag.metadata, null, 2) : '');
  const action = useAction(['name', 'description', 'metadata']);
  const toggle = useAction();
  const boolean = flag.type === 'BOOLEAN_FLAG_TYPE';

  return (
    <Section title="Details">
      <Toggle
        label={boolean ? 'Enabled (also the value when no rollout matches)' : 'Enabled'}
        checked={enabled}
        disabled={readOnly || toggle.busy}
        onChange={async (next) => {
          setEnabled(next);
          if (await toggle.run(() => updateFlag(namespace, flag, { enabled: next }))) onSaved();
          else setEnabled(flag.enabled);
        }}
      />
      <FormError message={toggle.general} />
      {readOnly ? (
        <dl class="facts">
          <dt>Name</dt>
          <dd>{flag.name}</dd>
          <dt>Description</dt>
          <dd>{flag.description || '—'}</dd>
          {flag.metadata && Object.keys(flag.metadata).length > 0 && (
            <>
              <dt>Metadata</dt>
              <dd>
                <code>{JSON.stringify(flag.metadata)}</code>
              </dd>
            </>
          )}
        </dl>
      ) : (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            if (jsonProblem(metadata, { objectOnly: true })) return;
            const change = { name, description, metadata: metadata.trim() ? JSON.parse(metadata) : {} };
            if (await action.run(() => updateFlag(namespace, flag, change))) onSaved();
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
          <TextField
            label="Description"
            name="description"
            value={description}
            onInput={setDescription}
            error={action.errorFor('description')}
          />
          <JsonEditor
            label="Metadata (JSON object)"
            value={metadata}
            onInput={setMetadata}
            objectOnly
            rows={3}
            error={action.errorFor('metadata')}
          />
          <FormError message={action.general} />
          <div class="actions">
            <button type="submit" disabled={action.busy}>
              Save
            </button>
            {confirming ? (
              <>
                <span>Delete flag “{flag.key}” and its rules?</span>
                <button
                  type="button"
                  class="danger"
                  onClick={async () => {
                    if (await action.run(() => api('DELETE', flagPath(namespace, flag.key))))
                      navigate(`/namespaces/${encodeURIComponent(namespace)}/flags`);
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
                Delete flag
              </button>
            )}
          </div>
        </form>
      )}
    </Section>
  );
}
