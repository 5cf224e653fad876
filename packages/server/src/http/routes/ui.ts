import type { Hono } from 'hono';
import { acceptsGzip } from '../respond.ts';
import { loadUiAssets, type UiAsset, type UiAssets } from '../ui/assets.ts';

// The web UI at `/` (flipt-v1.md §8). The app routes on the URL hash, as Flipt's does, so the
// server only ever serves index.html and the hashed files under /assets.

const INDEX_HEADERS = {
  'cache-control': 'no-cache',
  'x-content-type-options': 'nosniff',
  'x-frame-options': 'DENY',
  'content-security-policy':
    "default-src 'self'; img-src 'self' data: https:; style-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
};
const ASSET_HEADERS = {
  // Vite puts a content hash in every name under /assets: safe to cache for good.
  'cache-control': 'public, max-age=31536000, immutable',
  'x-content-type-options': 'nosniff',
};

function send(asset: UiAsset, gzip: boolean, headers: Record<string, string>, head: boolean): Response {
  const body = gzip && asset.gzip ? asset.gzip : asset.body;
  const out: Record<string, string> = { ...headers, 'content-type': asset.type, vary: 'accept-encoding' };
  if (body !== asset.body) out['content-encoding'] = 'gzip';
  out['content-length'] = String(body.byteLength);
  return new Response(head ? null : new Uint8Array(body), { status: 200, headers: out });
}

export function registerUiRoutes(app: Hono, directory?: string): void {
  let assets: UiAssets | undefined;
  const get = (): UiAssets => {
    assets ??= loadUiAssets(directory);
    return assets;
  };

  app.on(['GET', 'HEAD'], '/', (c) => {
    const { index } = get();
    return send(index, acceptsGzip(c), INDEX_HEADERS, c.req.method === 'HEAD');
  });
  app.on(['GET', 'HEAD'], '/assets/*', (c) => {
    const asset = get().files.get(c.req.path);
    if (!asset) return c.notFound();
    return send(asset, acceptsGzip(c), ASSET_HEADERS, c.req.method === 'HEAD');
  });
}
