import { useState } from 'preact/hooks';
import { api, enc, nsPath } from '../api/client.ts';
import type { Flag, Namespace } from '../api/types.ts';
import { Field, FormError, Section } from '../components/fields.tsx';
import { useAction } from '../components/use-action.ts';
import { link } from '../router.ts';
import { useSession } from '../state/session.ts';
import { useLoad } from '../state/use-load.ts';

// Copies the flag and its variants into another namespace, as Flipt's UI does. Rules and
// rollouts stay behind: they name segments that may not exist there.

export function CopyFlag({ flag }: { flag: Flag }) {
  const { namespace } = useSession();
  const namespaces = useLoad(() => api<{ namespaces: Namespace[] }>('GET', '/api/v1/namespaces'), []);
  const others = (namespaces.data?.namespaces ?? []).filter((n) => n.key !== namespace);
  const [target, setTarget] = useState('');
  const [copied, setCopied] = useState<string | null>(null);
  const action = useAction(['key']);
  if (others.length === 0) return null;
  const to = target || others[0]!.key;

  return (
    <Section title="Copy to another namespace">
      <form
        class="inline-form"
        onSubmit={async (e) => {
          e.preventDefault();
          setCopied(null);
          const ok = await action.run(async () => {
            const { key, name, description, enabled, type, metadata } = flag;
            await api('POST', `${nsPath(to)}/flags`, {
              key,
              name,
              description,
              enabled,
              type,
              ...(metadata ? { metadata } : {}),
            });
            for (const v of flag.variants) {
              const { key: vk, name: vn, description: vd, attachment } = v;
              await api('POST', `${nsPath(to)}/flags/${enc(key)}/variants`, {
                key: vk,
                name: vn,
                description: vd,
                attachment,
              });
            }
          });
          if (ok) setCopied(to);
        }}
      >
        <Field label="Namespace" error={action.errorFor('key')}>
          {(id) => (
            <select
              id={id}
              value={to}
              onChange={(e) => setTarget((e.currentTarget as HTMLSelectElement).value)}
            >
              {others.map((n) => (
                <option key={n.key} value={n.key}>
                  {n.name || n.key}
                </option>
              ))}
            </select>
          )}
        </Field>
        <button type="submit" disabled={action.busy}>
          Copy flag
        </button>
      </form>
      <FormError message={action.general} />
      {copied && (
        <p role="status">
          Copied to{' '}
          <a href={link(`/namespaces/${encodeURIComponent(copied)}/flags/${encodeURIComponent(flag.key)}`)}>
            {copied}
          </a>
          .
        </p>
      )}
    </Section>
  );
}
