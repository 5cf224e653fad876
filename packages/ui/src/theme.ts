// Light, dark, or the system's choice; the user's pick is remembered, the server's
// `ui.default_theme` applies until they pick.

export type Theme = 'system' | 'light' | 'dark';
const KEY = 'ensign.theme';

export function storedTheme(): Theme | null {
  try {
    const t = localStorage.getItem(KEY);
    return t === 'light' || t === 'dark' || t === 'system' ? t : null;
  } catch {
    return null;
  }
}

export function applyTheme(theme: Theme, remember: boolean): void {
  const dark = theme === 'dark' || (theme === 'system' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset['theme'] = dark ? 'dark' : 'light';
  if (remember) {
    try {
      localStorage.setItem(KEY, theme);
    } catch {
      // Not remembered in private windows; still applied.
    }
  }
}

export const nextTheme = (t: Theme): Theme => (t === 'system' ? 'light' : t === 'light' ? 'dark' : 'system');
