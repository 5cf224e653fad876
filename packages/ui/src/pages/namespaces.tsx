import { useState } from 'preact/hooks';
import { api, enc } from '../api/client.ts';
import type { Namespace } from '../api/types.ts';
import { FormError, Section, TextField } from '../components/fields.tsx';
import { DescriptionField, NameAndKeyFields, useIdentity } from '../components/identity-fields.tsx';
import { useAction } from '../components/use-action.ts';
import { link } from '../router.ts';
import { namespacesChanged, useSession } from '../state/session.ts';
import { useLoad } from '../state/use-load.ts';

function NewNamespace({ onDone }: { onDone: () => void }) {
  const identity = useIdentity();
  const action = useAction(['key', 'name', 'description']);
  return (
    <form
      class="subform"
      aria-label="New namespace"
      onSubmit={async (e) => {
        e.preventDefault();
        const { key, name, description } = identity;
        if (await action.run(() => api('POST', '/api/v1/namespaces', { key, name, description }))) {
          identity.reset();
          onDone();
        }
      }}
    >
      <h3>New namespace</h3>
      <div class="row">
        <NameAndKeyFields identity={identity} action={action} />
      </div>
      <DescriptionField identity={identity} />
      <FormError message={action.general} />
      <div class="actions">
        <button type="submit" disabled={action.busy}>
          Create namespace
        </button>
      </div>
    </form>
  );
}

function NamespaceRow({ ns, onChanged }: { ns: Namespace; onChanged: () => void }) {
  const { readOnly } = useSession();
  const [editing, setEditing] = useState(false);
  const [name, setName] = useState(ns.name);
  const [description, setDescription] = useState(ns.description);
  const action = useAction(['name', 'description']);
  const path = `/api/v1/namespaces/${enc(ns.key)}`;
  if (editing)
    return (
      <li>
        <form
          class="subform"
          aria-label={`Edit namespace ${ns.key}`}
          onSubmit={async (e) => {
            e.preventDefault();
            if (await action.run(() => api('PUT', path, { key: ns.key, name, description }))) {
              setEditing(false);
              onChanged();
            }
          }}
        >
          <TextField label="Name" value={name} onInput={setName} error={action.errorFor('name')} required />
          <TextField label="Description" value={description} onInput={setDescription} />
          <FormError message={action.general} />
          <div class="actions">
            <button type="submit" disabled={action.busy}>
              Save
            </button>
            <button type="button" class="ghost" onClick={() => setEditing(false)}>
              Cancel
            </button>
          </div>
        </form>
      </li>
    );
  return (
    <li class="item">
      <div>
        <a href={link(`/namespaces/${encodeURIComponent(ns.key)}/flags`)}>
          <strong>{ns.name || ns.key}</strong>
        </a>{' '}
        <code>{ns.key}</code> {ns.protected && <span class="badge">protected</span>}
        {ns.description && <p class="muted">{ns.description}</p>}
        <FormError message={action.general} />
      </div>
      {!readOnly && (
        <div class="item-actions">
          <button
            type="button"
            class="ghost"
            aria-label={`Edit namespace ${ns.key}`}
            onClick={() => setEditing(true)}
          >
            Edit
          </button>
          {!ns.protected && (
            <button
              type="button"
              class="ghost danger-text"
              aria-label={`Delete namespace ${ns.key}`}
              onClick={() => action.run(() => api('DELETE', path).then(onChanged))}
            >
              Delete
            </button>
          )}
        </div>
      )}
    </li>
  );
}

export function NamespacesPage() {
  const { readOnly, revision } = useSession();
  const list = useLoad(() => api<{ namespaces: Namespace[] }>('GET', '/api/v1/namespaces'), [revision]);
  const changed = () => {
    list.reload();
    namespacesChanged();
  };
  return (
    <div class="page narrow">
      <h1>Namespaces</h1>
      <Section title="All namespaces">
        {list.error && <p class="form-error">{list.error.message}</p>}
        <ul class="items">
          {(list.data?.namespaces ?? []).map((ns) => (
            <NamespaceRow key={`${ns.key}:${ns.name}:${ns.description}`} ns={ns} onChanged={changed} />
          ))}
        </ul>
        {!readOnly && <NewNamespace onDone={changed} />}
      </Section>
    </div>
  );
}
