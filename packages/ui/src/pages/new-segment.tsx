import { useState } from 'preact/hooks';
import { api, nsPath } from '../api/client.ts';
import type { MatchType, Segment } from '../api/types.ts';
import { FormError, TextField } from '../components/fields.tsx';
import { useAction } from '../components/use-action.ts';
import { navigate } from '../router.ts';
import { MatchTypeChoice } from '../segment/match-type.tsx';
import { useSession } from '../state/session.ts';
import { keyFromName } from './new-flag.tsx';

export function NewSegmentPage() {
  const { namespace } = useSession();
  const [name, setName] = useState('');
  const [key, setKey] = useState('');
  const [keyTouched, setKeyTouched] = useState(false);
  const [description, setDescription] = useState('');
  const [matchType, setMatchType] = useState<MatchType>('ALL_MATCH_TYPE');
  const action = useAction(['key', 'name', 'description']);
  return (
    <div class="page narrow">
      <h1>New segment</h1>
      <form
        class="card"
        onSubmit={async (e) => {
          e.preventDefault();
          let created: Segment | undefined;
          const ok = await action.run(async () => {
            created = await api<Segment>('POST', `${nsPath(namespace)}/segments`, {
              key,
              name,
              description,
              matchType,
            });
          });
          if (ok && created)
            navigate(
              `/namespaces/${encodeURIComponent(namespace)}/segments/${encodeURIComponent(created.key)}`,
            );
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
          error={action.errorFor('key')}
          onInput={(v) => {
            setKey(v);
            setKeyTouched(true);
          }}
        />
        <TextField label="Description" name="description" value={description} onInput={setDescription} />
        <MatchTypeChoice value={matchType} onChange={setMatchType} />
        <FormError message={action.general} />
        <div class="actions">
          <button type="submit" disabled={action.busy}>
            Create segment
          </button>
        </div>
      </form>
    </div>
  );
}
