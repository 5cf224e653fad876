import { useEffect, useState } from 'preact/hooks';

// Routes live in the URL hash, as in Flipt's UI: the server serves one index.html and deep links
// survive reloads without any server-side routing.

export const currentPath = (): string => location.hash.replace(/^#/, '') || '/';

export function useHashPath(): string {
  const [path, setPath] = useState(currentPath);
  useEffect(() => {
    const update = () => setPath(currentPath());
    addEventListener('hashchange', update);
    return () => removeEventListener('hashchange', update);
  }, []);
  return path;
}

export function navigate(path: string): void {
  location.hash = path;
}

export const link = (path: string): string => `#${path}`;

/** `/namespaces/:ns/flags/:key` against a path: the params, or null when it does not match. */
export function match(pattern: string, path: string): Record<string, string> | null {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got[i]!;
    if (w.startsWith(':')) {
      if (!g) return null;
      params[w.slice(1)] = decodeURIComponent(g);
    } else if (w !== g) return null;
  }
  return params;
}
