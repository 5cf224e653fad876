import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, setToken } from './api/client.ts';
import type { Namespace } from './api/types.ts';
import { link, navigate } from './router.ts';
import { NAMESPACES_CHANGED, userLabel, useSession } from './state/session.ts';
import { useLoad } from './state/use-load.ts';
import { applyTheme, nextTheme, storedTheme, type Theme } from './theme.ts';

const SECTIONS = [
  ['flags', 'Flags'],
  ['segments', 'Segments'],
  ['console', 'Console'],
] as const;

function NamespaceSwitcher({ path }: { path: string }) {
  const { namespace, revision } = useSession();
  const list = useLoad(() => api<{ namespaces: Namespace[] }>('GET', '/api/v1/namespaces'), [revision, path]);
  useEffect(() => {
    addEventListener(NAMESPACES_CHANGED, list.reload);
    return () => removeEventListener(NAMESPACES_CHANGED, list.reload);
  }, [list.reload]);
  const section = /^\/namespaces\/[^/]+\/(flags|segments|console)/.exec(path)?.[1] ?? 'flags';
  const namespaces = list.data?.namespaces ?? [{ key: namespace, name: namespace } as Namespace];
  return (
    <label class="ns-switch">
      <select
        aria-label="Namespace"
        value={namespace}
        onChange={(e) =>
          navigate(
            `/namespaces/${encodeURIComponent((e.currentTarget as HTMLSelectElement).value)}/${section}`,
          )
        }
      >
        {namespaces.map((n) => (
          <option key={n.key} value={n.key}>
            {n.name || n.key}
          </option>
        ))}
      </select>
    </label>
  );
}

export function Layout({ path, children }: { path: string; children: ComponentChildren }) {
  const { meta, readOnly, user, methods, namespace } = useSession();
  const tokens = user !== null && methods.some((m) => m.method === 'METHOD_TOKEN');
  const [theme, setTheme] = useState<Theme>(storedTheme() ?? ((meta.ui?.theme as Theme) || 'system'));
  const [menuOpen, setMenuOpen] = useState(false);
  const ns = encodeURIComponent(namespace);
  const topbar = meta.ui?.topbarColor ? { background: meta.ui.topbarColor } : undefined;
  const logout = async () => {
    await api('PUT', '/auth/v1/self/expire').catch(() => undefined);
    setToken(null);
    location.hash = '/';
    location.reload();
  };
  return (
    <>
      <button type="button" class="skip" onClick={() => document.getElementById('main')?.focus()}>
        Skip to content
      </button>
      <header class="topbar" style={topbar}>
        <a class="brand" href={link(`/namespaces/${ns}/flags`)}>
          Ensign
        </a>
        {meta.ui?.topbarLabel && <span class="topbar-label">{meta.ui.topbarLabel}</span>}
        <NamespaceSwitcher path={path} />
        <button
          type="button"
          class="menu-button"
          aria-expanded={menuOpen}
          aria-controls="main-nav"
          onClick={() => setMenuOpen(!menuOpen)}
        >
          Menu
        </button>
        <nav id="main-nav" class={menuOpen ? 'open' : undefined} aria-label="Main">
          {SECTIONS.map(([key, label]) => {
            const href = `/namespaces/${ns}/${key}`;
            const current = path.startsWith(href);
            return (
              <a
                key={key}
                href={link(href)}
                aria-current={current ? 'page' : undefined}
                onClick={() => setMenuOpen(false)}
              >
                {label}
              </a>
            );
          })}
          <a
            href={link('/namespaces')}
            aria-current={path === '/namespaces' ? 'page' : undefined}
            onClick={() => setMenuOpen(false)}
          >
            Namespaces
          </a>
          {tokens && (
            <a
              href={link('/tokens')}
              aria-current={path === '/tokens' ? 'page' : undefined}
              onClick={() => setMenuOpen(false)}
            >
              Tokens
            </a>
          )}
          <button
            type="button"
            class="ghost"
            title="Theme"
            onClick={() => {
              const next = nextTheme(theme);
              setTheme(next);
              applyTheme(next, true);
            }}
          >
            Theme: {theme}
          </button>
          {user && (
            <button type="button" class="ghost" onClick={logout}>
              Log out{userLabel(user) ? ` ${userLabel(user)}` : ''}
            </button>
          )}
        </nav>
      </header>
      {readOnly && (
        <div class="banner" role="status">
          Read-only: this server's storage ({meta.storage.type}) does not accept changes from the UI.
        </div>
      )}
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
