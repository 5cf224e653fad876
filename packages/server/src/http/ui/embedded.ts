import * as sea from 'node:sea';

// Inside the single executable the built UI travels as SEA assets (scripts/build/binary.ts puts
// each file of dist/ui under the key `ui/<path>`), so the executable serves its UI with no files
// beside it.

/** The key prefix of the UI's files among the executable's assets. */
export const UI_ASSET_PREFIX = 'ui/';

/** The embedded UI files by URL path (`/index.html`), or undefined outside an executable holding them. */
export function embeddedUiFiles(): Map<string, Buffer> | undefined {
  // A namespace import: getAssetKeys is newer than some Node lines the package runs on, and a
  // named import of a missing export would stop the whole bundle from loading.
  if (!sea.isSea() || typeof sea.getAssetKeys !== 'function') return undefined;
  const files = new Map<string, Buffer>();
  for (const key of sea.getAssetKeys()) {
    if (key.startsWith(UI_ASSET_PREFIX)) {
      files.set(`/${key.slice(UI_ASSET_PREFIX.length)}`, Buffer.from(sea.getAsset(key)));
    }
  }
  return files.size > 0 ? files : undefined;
}
