import { existsSync } from 'node:fs';
import { buildUi, UI_OUT_DIR, uiUpToDate, viteInstalled } from '../build-ui.ts';

// The server package and the single executable both carry the built web UI. Both builds call
// this first: it rebuilds dist/ui when a UI source is newer, and leaves an existing build alone
// where Vite (a dev dependency) is not installed.

/** dist/ui, brought up to date when it can be; undefined when there is none to ship. */
export async function builtUi(): Promise<string | undefined> {
  if (!uiUpToDate() && (await viteInstalled())) await buildUi();
  return existsSync(`${UI_OUT_DIR}/index.html`) ? UI_OUT_DIR : undefined;
}
