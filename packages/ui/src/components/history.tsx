import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, enc, nsPath } from '../api/client.ts';
import { useSession } from '../state/session.ts';
import { Section } from './fields.tsx';

// Who changed this flag or segment, what and when: the server's stored audit events (Ensign's
// history routes, on when audit.sinks.database is enabled). A server without them answers 404:
// no panel.

type Kind = 'flag' | 'segment';

interface Actor {
  authentication: string;
  ip?: string;
  email?: string;
  name?: string;
}

interface Entry {
  id: string;
  type: string;
  action: string;
  actor: Actor;
  payload: Record<string, unknown> | null;
  timestamp: string;
}

interface Page {
  events: Entry[];
  nextPageToken: string;
}

const PAGE = 20;
const SETTLE_MS = 1000;

function who(actor: Actor): string {
  const person = actor.name || actor.email;
  if (person) return person;
  if (actor.authentication === 'none') return actor.ip ? `anonymous (${actor.ip})` : 'anonymous';
  return `${actor.authentication} client${actor.ip ? ` (${actor.ip})` : ''}`;
}

/** "updated the flag (disabled)", "created variant red", "reordered rules", "created constraint on plan". */
function what(entry: Entry, kind: Kind): string {
  const payload = entry.payload ?? {};
  const key = typeof payload['key'] === 'string' ? payload['key'] : '';
  if (entry.type === kind) {
    const state = entry.action !== 'deleted' && typeof payload['enabled'] === 'boolean';
    return `${entry.action} the ${kind}${state ? ` (${payload['enabled'] ? 'enabled' : 'disabled'})` : ''}`;
  }
  if (entry.type === 'constraint' && typeof payload['property'] === 'string')
    return `${entry.action} constraint on ${payload['property']}`;
  if (Array.isArray(payload['ruleIds']) || Array.isArray(payload['rolloutIds']))
    return `reordered ${entry.type}s`;
  return `${entry.action} ${entry.type}${key ? ` ${key}` : ''}`;
}

export function History({ kind, subjectKey }: { kind: Kind; subjectKey: string }) {
  const { namespace, revision } = useSession();
  const path = `${nsPath(namespace)}/${kind}s/${enc(subjectKey)}/history`;
  const [entries, setEntries] = useState<Entry[]>([]);
  const [next, setNext] = useState('');
  const [state, setState] = useState<'loading' | 'ready' | 'off' | Error>('loading');

  const load = async (pageToken: string) => {
    const query = `?limit=${PAGE}${pageToken ? `&pageToken=${encodeURIComponent(pageToken)}` : ''}`;
    try {
      const page = await api<Page>('GET', `${path}${query}`);
      setEntries((shown) => (pageToken ? [...shown, ...page.events] : page.events));
      setNext(page.nextPageToken);
      setState('ready');
    } catch (error) {
      setState(error instanceof ApiError && error.status === 404 ? 'off' : (error as Error));
    }
  };
  // Reloaded with every change the stream reports, so the newest edit shows at the top; and once
  // more a moment later, because the server stores a write's event just after answering it and
  // the change notice can overtake it.
  useEffect(() => {
    load('');
    if (revision === 0) return;
    const again = setTimeout(() => load(''), SETTLE_MS);
    return () => clearTimeout(again);
  }, [path, revision]);

  if (state === 'off' || state === 'loading') return null;
  return (
    <Section title="History">
      {state instanceof Error && (
        <p role="alert" class="form-error">
          {state.message}
        </p>
      )}
      {entries.length === 0 && state === 'ready' && <p class="empty">No changes recorded yet.</p>}
      <ol class="items history">
        {entries.map((entry) => (
          <li key={entry.id} class="item">
            <div>
              <strong>{who(entry.actor)}</strong> {what(entry, kind)}
              <details>
                <summary class="hint">Request</summary>
                <pre class="attachment">{JSON.stringify(entry.payload, null, 2)}</pre>
              </details>
            </div>
            <time class="hint" dateTime={entry.timestamp}>
              {new Date(entry.timestamp).toLocaleString()}
            </time>
          </li>
        ))}
      </ol>
      {next && (
        <button type="button" class="button" onClick={() => load(next)}>
          Show older changes
        </button>
      )}
    </Section>
  );
}
