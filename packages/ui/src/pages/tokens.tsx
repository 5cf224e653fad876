import { useState } from 'preact/hooks';
import { api, enc } from '../api/client.ts';
import type { Authentication, Namespace } from '../api/types.ts';
import { Field, FormError, Section, TextField } from '../components/fields.tsx';
import { useAction } from '../components/use-action.ts';
import { useLoad } from '../state/use-load.ts';

// Client tokens (Flipt's Settings → Tokens): list, create (optionally scoped to one namespace,
// optionally expiring), shown once, delete. Needs the token authentication method.

const meta = (a: Authentication, key: string) => a.metadata?.[`io.flipt.auth.token.${key}`] ?? '';

function NewToken({ onCreated }: { onCreated: () => void }) {
  const namespaces = useLoad(() => api<{ namespaces: Namespace[] }>('GET', '/api/v1/namespaces'), []);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [expires, setExpires] = useState('');
  const [namespaceKey, setNamespaceKey] = useState('');
  const [created, setCreated] = useState<string | null>(null);
  const action = useAction(['name', 'description', 'expiresAt', 'namespaceKey']);
  return (
    <form
      class="subform"
      aria-label="New token"
      onSubmit={async (e) => {
        e.preventDefault();
        setCreated(null);
        const body: Record<string, string> = { name, description, namespaceKey };
        if (expires) body['expiresAt'] = new Date(expires).toISOString();
        await action.run(async () => {
          const answer = await api<{ clientToken: string }>('POST', '/auth/v1/method/token', body);
          setCreated(answer.clientToken);
          setName('');
          setDescription('');
          onCreated();
        });
      }}
    >
      <h3>New token</h3>
      <div class="row">
        <TextField
          label="Name"
          name="name"
          value={name}
          onInput={setName}
          error={action.errorFor('name')}
          required
        />
        <TextField
          label="Expires (optional)"
          type="datetime-local"
          value={expires}
          onInput={setExpires}
          error={action.errorFor('expiresAt')}
        />
      </div>
      <TextField label="Description" value={description} onInput={setDescription} />
      <Field label="Namespace scope" error={action.errorFor('namespaceKey')}>
        {(id) => (
          <select
            id={id}
            value={namespaceKey}
            onChange={(e) => setNamespaceKey((e.currentTarget as HTMLSelectElement).value)}
          >
            <option value="">All namespaces</option>
            {(namespaces.data?.namespaces ?? []).map((n) => (
              <option key={n.key} value={n.key}>
                {n.name || n.key}
              </option>
            ))}
          </select>
        )}
      </Field>
      <FormError message={action.general} />
      <div class="actions">
        <button type="submit" disabled={action.busy}>
          Create token
        </button>
      </div>
      {created && (
        <div role="status" class="token-once">
          <p>Copy the token now: it is not shown again.</p>
          <code data-testid="new-token">{created}</code>
        </div>
      )}
    </form>
  );
}

export function TokensPage() {
  const list = useLoad(
    () => api<{ authentications: Authentication[] }>('GET', '/auth/v1/tokens?method=METHOD_TOKEN'),
    [],
  );
  const action = useAction();
  return (
    <div class="page narrow">
      <h1>Tokens</h1>
      <Section title="Client tokens">
        {list.error && <p class="form-error">{list.error.message}</p>}
        {list.data && list.data.authentications.length === 0 && <p class="empty">No tokens.</p>}
        <ul class="items">
          {(list.data?.authentications ?? []).map((a) => (
            <li key={a.id} class="item">
              <div>
                <strong>{meta(a, 'name') || a.id}</strong>
                {meta(a, 'namespace') && <span class="badge">{meta(a, 'namespace')}</span>}
                {meta(a, 'description') && <p class="muted">{meta(a, 'description')}</p>}
                <p class="muted">
                  {a.expiresAt ? `Expires ${new Date(a.expiresAt).toLocaleString()}` : 'Never expires'}
                </p>
              </div>
              <div class="item-actions">
                <button
                  type="button"
                  class="ghost danger-text"
                  aria-label={`Delete token ${meta(a, 'name') || a.id}`}
                  onClick={() =>
                    action.run(() => api('DELETE', `/auth/v1/tokens/${enc(a.id)}`).then(list.reload))
                  }
                >
                  Delete
                </button>
              </div>
            </li>
          ))}
        </ul>
        <FormError message={action.general} />
        <NewToken onCreated={list.reload} />
      </Section>
    </div>
  );
}
