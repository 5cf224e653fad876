import { useState } from 'preact/hooks';
import { api, nsPath } from '../api/client.ts';
import type { Flag } from '../api/types.ts';
import { link } from '../router.ts';
import { useSession } from '../state/session.ts';
import { useLoad } from '../state/use-load.ts';

const PAGE_SIZE = 20;
type SortKey = 'key' | 'name' | 'type' | 'enabled' | 'updatedAt';

const typeLabel = (f: Flag) => (f.type === 'BOOLEAN_FLAG_TYPE' ? 'Boolean' : 'Variant');

export function FlagsPage() {
  const { namespace, readOnly, revision } = useSession();
  const flags = useLoad(
    () => api<{ flags: Flag[] }>('GET', `${nsPath(namespace)}/flags`),
    [namespace, revision],
  );
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; desc: boolean }>({ key: 'key', desc: false });
  const [page, setPage] = useState(0);

  const q = query.trim().toLowerCase();
  const rows = (flags.data?.flags ?? [])
    .filter((f) => !q || `${f.key} ${f.name} ${f.description}`.toLowerCase().includes(q))
    .sort((a, b) => {
      const av = String(sort.key === 'type' ? typeLabel(a) : a[sort.key]);
      const bv = String(sort.key === 'type' ? typeLabel(b) : b[sort.key]);
      return (sort.desc ? -1 : 1) * av.localeCompare(bv);
    });
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const shown = rows.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);

  const header = (key: SortKey, label: string) => (
    <th aria-sort={sort.key === key ? (sort.desc ? 'descending' : 'ascending') : 'none'}>
      <button
        type="button"
        class="sort"
        onClick={() => setSort({ key, desc: sort.key === key ? !sort.desc : false })}
      >
        {label}
        <span aria-hidden="true">{sort.key === key ? (sort.desc ? ' ▼' : ' ▲') : ''}</span>
      </button>
    </th>
  );

  return (
    <div class="page">
      <div class="page-head">
        <h1>Flags</h1>
        {!readOnly && (
          <a class="button" href={link(`/namespaces/${encodeURIComponent(namespace)}/flags/new`)}>
            New flag
          </a>
        )}
      </div>
      <label class="search">
        <span class="visually-hidden">Search flags</span>
        <input
          type="search"
          placeholder="Search by key, name or description"
          value={query}
          onInput={(e) => {
            setQuery((e.currentTarget as HTMLInputElement).value);
            setPage(0);
          }}
        />
      </label>
      {flags.error && (
        <p role="alert" class="form-error">
          {flags.error.message}
        </p>
      )}
      {flags.data && rows.length === 0 && (
        <p class="empty">{q ? 'No flag matches.' : 'No flags in this namespace yet.'}</p>
      )}
      {shown.length > 0 && (
        <div class="table-wrap">
          <table>
            <thead>
              <tr>
                {header('key', 'Key')}
                {header('name', 'Name')}
                {header('type', 'Type')}
                {header('enabled', 'Enabled')}
                {header('updatedAt', 'Updated')}
              </tr>
            </thead>
            <tbody>
              {shown.map((f) => (
                <tr key={f.key}>
                  <td>
                    <a
                      href={link(
                        `/namespaces/${encodeURIComponent(namespace)}/flags/${encodeURIComponent(f.key)}`,
                      )}
                    >
                      {f.key}
                    </a>
                  </td>
                  <td>{f.name}</td>
                  <td>{typeLabel(f)}</td>
                  <td>{f.enabled ? 'On' : 'Off'}</td>
                  <td>{f.updatedAt ? new Date(f.updatedAt).toLocaleString() : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {pages > 1 && (
        <nav class="pager" aria-label="Pages">
          <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
            Previous
          </button>
          <span>
            Page {current + 1} of {pages} ({rows.length} flags)
          </span>
          <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
            Next
          </button>
        </nav>
      )}
    </div>
  );
}
