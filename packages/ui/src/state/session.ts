import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { Authentication, AuthMethod, MetaInfo } from '../api/types.ts';

export interface Session {
  meta: MetaInfo;
  /** Storage is declarative or read_only: the UI shows no edit controls. */
  readOnly: boolean;
  /** Who is logged in, when authentication is on. */
  user: Authentication | null;
  /** The server's enabled authentication methods (none when it has no authentication). */
  methods: AuthMethod[];
  namespace: string;
  /** Bumped whenever the change stream reports a new version of the namespace. */
  revision: number;
}

export const SessionContext = createContext<Session | null>(null);

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside the app');
  return session;
}

/** Dispatched on window when namespaces were created, renamed or deleted (the switcher reloads). */
export const NAMESPACES_CHANGED = 'ensign:namespaces-changed';
export const namespacesChanged = (): boolean => dispatchEvent(new Event(NAMESPACES_CHANGED));

/** How the top bar names a browser-session user: e-mail, else GitHub login, else nothing. */
export function userLabel(user: Authentication | null): string {
  const m = user?.metadata ?? {};
  return (
    m['io.flipt.auth.oidc.email'] ??
    m['io.flipt.auth.email'] ??
    m['io.flipt.auth.github.preferred_username'] ??
    ''
  );
}
