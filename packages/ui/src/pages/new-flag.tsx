import { useState } from 'preact/hooks';
import { api, nsPath } from '../api/client.ts';
import type { Flag, FlagType } from '../api/types.ts';
import { Field, FormError, TextField, Toggle } from '../components/fields.tsx';
import { useAction } from '../components/use-action.ts';
import { navigate } from '../router.ts';
import { useSession } from '../state/session.ts';

/** A key derived from a name, in the characters Flipt accepts for keys. */
export const keyFromName = (name: string): string =>
  name
    .trim()
    .toLowerCase()
    .replace(/[^-_,a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');

export function NewFlagPage() {
  const { namespace } = useSession();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [keyTouched, setKeyTouched] = useState(false);
  const [description, setDescription] = useState('');
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
              key,
              name,
              description,
              type,
              enabled,
            });
          });
          if (ok && created)
            navigate(`/namespaces/${encodeURIComponent(namespace)}/flags/${encodeURIComponent(created.key)}`);
        }}
      >
        <TextField
          label="Name"
          name="name"
          value={name}
          required
          error={action.errorFor('name')}
          onInput={(v) => {
            setName(v);
            if (!keyTouched) setKey(keyFromName(v));
          }}
        />
        <TextField
          label="Key"
          name="key"
          value={key}
          required
          hint="Letters, digits, - _ and , only"
          error={action.errorFor('key')}
          onInput={(v) => {
            setKey(v);
            setKeyTouched(true);
          }}
        />
        <TextField label="Description" name="description" value={description} onInput={setDescription} />
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
