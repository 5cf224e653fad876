import { useState } from 'preact/hooks';
import { api, nsPath } from '../api/client.ts';
import type { Flag, FlagType } from '../api/types.ts';
import { Field, FormError, Toggle } from '../components/fields.tsx';
import { DescriptionField, NameAndKeyFields, useIdentity } from '../components/identity-fields.tsx';
import { useAction } from '../components/use-action.ts';
import { navigate } from '../router.ts';
import { useSession } from '../state/session.ts';

export function NewFlagPage() {
  const { namespace } = useSession();
  const identity = useIdentity();
  const [type, setType] = useState<FlagType>('VARIANT_FLAG_TYPE');
  const [enabled, setEnabled] = useState(false);
  const action = useAction(['key', 'name', 'description']);

  return (
    <div class="page narrow">
      <h1>New flag</h1>
      <form
        class="card"
        onSubmit={async (e) => {
          e.preventDefault();
          let created: Flag | undefined;
          const ok = await action.run(async () => {
            created = await api<Flag>('POST', `${nsPath(namespace)}/flags`, {
              key: identity.key,
              name: identity.name,
              description: identity.description,
              type,
              enabled,
            });
          });
          if (ok && created)
            navigate(`/namespaces/${encodeURIComponent(namespace)}/flags/${encodeURIComponent(created.key)}`);
        }}
      >
        <NameAndKeyFields identity={identity} action={action} />
        <DescriptionField identity={identity} />
        <Field label="Type">
          {(id) => (
            <select
              id={id}
              name="type"
              value={type}
              onChange={(e) => setType((e.currentTarget as HTMLSelectElement).value as FlagType)}
            >
              <option value="VARIANT_FLAG_TYPE">Variant</option>
              <option value="BOOLEAN_FLAG_TYPE">Boolean</option>
            </select>
          )}
        </Field>
        <Toggle label="Enabled" checked={enabled} onChange={setEnabled} />
        <FormError message={action.general} />
        <div class="actions">
          <button type="submit" disabled={action.busy}>
            Create flag
          </button>
        </div>
      </form>
    </div>
  );
}
