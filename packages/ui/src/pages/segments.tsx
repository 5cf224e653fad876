import { useState } from 'preact/hooks';
import { api, nsPath } from '../api/client.ts';
import type { Segment } from '../api/types.ts';
import { link } from '../router.ts';
import { useSession } from '../state/session.ts';
import { useLoad } from '../state/use-load.ts';

export function SegmentsPage() {
  const { namespace, readOnly, revision } = useSession();
  const segments = useLoad(
    () => api<{ segments: Segment[] }>('GET', `${nsPath(namespace)}/segments`),
    [namespace, revision],
  );
  const [query, setQuery] = useState('');
  const q = query.trim().toLowerCase();
  const rows = (segments.data?.segments ?? [])
    .filter((s) => !q || `${s.key} ${s.name} ${s.description}`.toLowerCase().includes(q))
    .sort((a, b) => a.key.localeCompare(b.key));
  const ns = encodeURIComponent(namespace);
  return (
    <div class="page">
      <div class="page-head">
        <h1>Segments</h1>
        {!readOnly && (
          <a class="button" href={link(`/namespaces/${ns}/segments/new`)}>
            New segment
          </a>
        )}
      </div>
      <label class="search">
        <span class="visually-hidden">Search segments</span>
        <input
          type="search"
          placeholder="Search segments"
          value={query}
          onInput={(e) => setQuery((e.currentTarget as HTMLInputElement).value)}
        />
      </label>
      {segments.error && (
        <p role="alert" class="form-error">
          {segments.error.message}
        </p>
      )}
      {segments.data && rows.length === 0 && <p class="empty">No segments.</p>}
      {rows.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Key</th>
                <th>Name</th>
                <th>Match</th>
                <th>Constraints</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((s) => (
                <tr key={s.key}>
                  <td>
                    <a href={link(`/namespaces/${ns}/segments/${encodeURIComponent(s.key)}`)}>{s.key}</a>
                  </td>
                  <td>{s.name}</td>
                  <td>{s.matchType === 'ANY_MATCH_TYPE' ? 'Any' : 'All'}</td>
                  <td>{s.constraints.length}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
