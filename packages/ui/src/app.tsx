import { useEffect, useState } from 'preact/hooks';
import { api, onUnauthorized } from './api/client.ts';
import type { Authentication, AuthMethod, MetaInfo } from './api/types.ts';
import { Layout } from './layout.tsx';
import { LoginPage } from './pages/login.tsx';
import { currentPath, navigate, useHashPath } from './router.ts';
import { Routes } from './routes.tsx';
import { followChanges } from './state/change-stream.ts';
import { SessionContext } from './state/session.ts';
import { applyTheme, storedTheme, type Theme } from './theme.ts';

const NS_KEY = 'ensign.namespace';

function rememberedNamespace(): string {
  try {
    return localStorage.getItem(NS_KEY) || 'default';
  } catch {
    return 'default';
  }
}

type Boot =
  | { state: 'loading' }
  | { state: 'login' }
  | { state: 'failed'; message: string }
  | { state: 'ready'; meta: MetaInfo; user: Authentication | null; methods: AuthMethod[] };

async function boot(): Promise<Boot> {
  try {
    const meta = await api<MetaInfo>('GET', '/meta/info');
    // Who is logged in; a server without authentication has no such route or answers 401.
    const [user, methods] = await Promise.all([
      api<Authentication>('GET', '/auth/v1/self').catch(() => null),
      api<{ methods: AuthMethod[] }>('GET', '/auth/v1/method').then(
        (r) => r.methods.filter((m) => m.enabled),
        () => [],
      ),
    ]);
    if (meta.authentication.required && !user) return { state: 'login' };
    return { state: 'ready', meta, user, methods };
  } catch (e) {
    if ((e as { status?: number }).status === 401) return { state: 'login' };
    return { state: 'failed', message: (e as Error).message };
  }
}

export function App() {
  const [status, setStatus] = useState<Boot>({ state: 'loading' });
  const [revision, setRevision] = useState(0);
  const path = useHashPath();
  const inPath = /^\/namespaces\/([^/]+)\//.exec(path)?.[1];
  const ns = inPath ? decodeURIComponent(inPath) : rememberedNamespace();

  useEffect(() => {
    boot().then(setStatus);
    return onUnauthorized(() => setStatus({ state: 'login' }));
  }, []);

  useEffect(() => {
    if (status.state !== 'ready') return;
    const theme: Theme = storedTheme() ?? ((status.meta.ui?.theme as Theme | undefined) || 'system');
    applyTheme(theme, false);
  }, [status]);

  useEffect(() => {
    try {
      localStorage.setItem(NS_KEY, ns);
    } catch {
      // Not remembered; the URL still carries it.
    }
  }, [ns]);

  useEffect(() => {
    if (status.state !== 'ready') return;
    return followChanges(ns, () => setRevision((r) => r + 1));
  }, [ns, status.state]);

  useEffect(() => {
    if (currentPath() === '/' && status.state === 'ready')
      navigate(`/namespaces/${encodeURIComponent(ns)}/flags`);
  }, [path, status.state]);

  if (status.state === 'loading') return <p class="boot">Loading…</p>;
  if (status.state === 'login') return <LoginPage onLoggedIn={() => boot().then(setStatus)} />;
  if (status.state === 'failed')
    return (
      <main class="boot">
        <h1>Ensign</h1>
        <p role="alert">Could not reach the server: {status.message}</p>
        <button type="button" onClick={() => boot().then(setStatus)}>
          Try again
        </button>
      </main>
    );
  const session = {
    meta: status.meta,
    readOnly: status.meta.storage.readOnly,
    user: status.user,
    methods: status.methods,
    namespace: ns,
    revision,
  };
  return (
    <SessionContext.Provider value={session}>
      <Layout path={path}>
        <Routes path={path} />
      </Layout>
    </SessionContext.Provider>
  );
}
