import { useState } from 'preact/hooks';
import { api } from '../api/client.ts';
import type { Flag } from '../api/types.ts';
import { FormError, Section, TextField, Toggle } from '../components/fields.tsx';
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
  const action = useAction(['name', 'description']);
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
        </dl>
      ) : (
        <form
          onSubmit={async (e) => {
            e.preventDefault();
            if (await action.run(() => updateFlag(namespace, flag, { name, description }))) onSaved();
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
