import { useState } from 'preact/hooks';
import { api, nsPath } from '../api/client.ts';
import type { MatchType, Segment } from '../api/types.ts';
import { FormError } from '../components/fields.tsx';
import { DescriptionField, NameAndKeyFields, useIdentity } from '../components/identity-fields.tsx';
import { useAction } from '../components/use-action.ts';
import { navigate } from '../router.ts';
import { MatchTypeChoice } from '../segment/match-type.tsx';
import { useSession } from '../state/session.ts';

export function NewSegmentPage() {
  const { namespace } = useSession();
  const identity = useIdentity();
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
              key: identity.key,
              name: identity.name,
              description: identity.description,
              matchType,
            });
          });
          if (ok && created)
            navigate(
              `/namespaces/${encodeURIComponent(namespace)}/segments/${encodeURIComponent(created.key)}`,
            );
        }}
      >
        <NameAndKeyFields identity={identity} action={action} />
        <DescriptionField identity={identity} />
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
