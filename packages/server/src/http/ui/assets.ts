import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { GZIP_MIN_BYTES } from '../respond.ts';
import { embeddedUiFiles } from './embedded.ts';

// The built UI (scripts/build-ui.ts writes it to dist/ui), read into memory on the first request
// for it, with a gzip copy of each text file: the whole app is a few hundred KB, and compressing
// once means no later request pays for it.

export interface UiAsset {
  body: Buffer;
  gzip: Buffer | undefined;
  type: string;
}

export interface UiAssets {
  index: UiAsset;
  /** By URL path, e.g. `/assets/index-3f2a.js`. */
  files: Map<string, UiAsset>;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};
const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.map']);

/**
 * Inside the server package (dist/server/ui), beside it (dist/ui, where the build writes it), the
 * repository's dist/ui when running from sources, or beside a single executable (whose CommonJS
 * bundle has no import.meta.url).
 */
function defaultDirectory(): string {
  const base: string | undefined = import.meta.url;
  const candidates = [
    ...(base
      ? ['./ui/', '../ui/', '../../../../../dist/ui/'].map((p) => fileURLToPath(new URL(p, base)))
      : []),
    join(dirname(process.execPath), 'ui'),
  ];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[candidates.length - 1]!;
}

function asset(path: string, body: Buffer): UiAsset {
  const ext = extname(path);
  const gzip =
    COMPRESSIBLE.has(ext) && body.byteLength >= GZIP_MIN_BYTES ? gzipSync(body, { level: 9 }) : undefined;
  return { body, gzip, type: TYPES[ext] ?? 'application/octet-stream' };
}

function walk(dir: string, out: string[]): string[] {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else out.push(path);
  }
  return out;
}

const NOT_BUILT = `<!doctype html><html lang="en"><meta charset="utf-8"><title>Ensign</title>
<body>
<h1>Ensign</h1><p>The web UI has not been built. Run <code>npm run build</code>, then restart the server.
The API is available under <code>/api/v1</code>.</p></body></html>`;

/**
 * From `directory` when given; otherwise the copy inside a single executable, else the first
 * built directory found (see defaultDirectory).
 */
export function loadUiAssets(directory?: string): UiAssets {
  const files = new Map<string, UiAsset>();
  const embedded = directory === undefined ? embeddedUiFiles() : undefined;
  if (embedded) {
    for (const [url, body] of embedded) files.set(url, asset(url, body));
  } else {
    const dir = directory ?? defaultDirectory();
    if (existsSync(join(dir, 'index.html'))) {
      for (const path of walk(dir, [])) {
        const url = '/' + relative(dir, path).split(sep).join('/');
        files.set(url, asset(path, readFileSync(path)));
      }
    }
  }
  const index = files.get('/index.html');
  if (index) return { index, files };
  return { index: { body: Buffer.from(NOT_BUILT), gzip: undefined, type: TYPES['.html']! }, files };
}
