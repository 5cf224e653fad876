import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { gunzipSync } from 'node:zlib';
import { Hono } from 'hono';
import { loadConfig } from '../../src/config/load.ts';
import { registerUiRoutes } from '../../src/http/routes/ui.ts';
import { silentLogger } from '../../src/observability/logger.ts';
import { startServer } from '../../src/run.ts';

// The web UI's static route: what a browser gets for `/` and `/assets/*`, and the ui.* keys.

const dir = mkdtempSync(join(tmpdir(), 'ensign-ui-route-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const INDEX = '<!doctype html><script type="module" src="/assets/index-abc123.js"></script>';
const SCRIPT = `console.log(${JSON.stringify('x'.repeat(4000))});`;

function builtUi(): string {
  const ui = join(dir, 'ui');
  mkdirSync(join(ui, 'assets'), { recursive: true });
  writeFileSync(join(ui, 'index.html'), INDEX);
  writeFileSync(join(ui, 'assets', 'index-abc123.js'), SCRIPT);
  writeFileSync(join(ui, 'assets', 'index-abc123.css'), 'body{color:red}');
  return ui;
}

describe('UI route', () => {
  const app = new Hono();
  registerUiRoutes(app, builtUi());

  it('serves index.html uncached, with a CSP and nosniff', async () => {
    const res = await app.request('/');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/html; charset=utf-8');
    assert.equal(res.headers.get('cache-control'), 'no-cache');
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
    assert.match(res.headers.get('content-security-policy') ?? '', /default-src 'self'/);
    assert.equal(await res.text(), INDEX);
  });

  it('serves hashed assets for good, gzipped when asked and worth it', async () => {
    const plain = await app.request('/assets/index-abc123.js');
    assert.equal(plain.headers.get('content-type'), 'text/javascript; charset=utf-8');
    assert.equal(plain.headers.get('cache-control'), 'public, max-age=31536000, immutable');
    assert.equal(plain.headers.get('content-encoding'), null);
    assert.equal(await plain.text(), SCRIPT);

    const zipped = await app.request('/assets/index-abc123.js', {
      headers: { 'accept-encoding': 'gzip, br' },
    });
    assert.equal(zipped.headers.get('content-encoding'), 'gzip');
    assert.equal(zipped.headers.get('vary'), 'accept-encoding');
    const body = Buffer.from(await zipped.arrayBuffer());
    assert.ok(body.byteLength < SCRIPT.length / 10);
    assert.equal(gunzipSync(body).toString(), SCRIPT);

    // Too small to gain from compression: sent as is.
    const css = await app.request('/assets/index-abc123.css', { headers: { 'accept-encoding': 'gzip' } });
    assert.equal(css.headers.get('content-type'), 'text/css; charset=utf-8');
    assert.equal(css.headers.get('content-encoding'), null);
  });

  it('HEAD answers headers only; unknown assets are 404', async () => {
    const head = await app.request('/assets/index-abc123.js', { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(SCRIPT.length));
    assert.equal(await head.text(), '');
    assert.equal((await app.request('/assets/nope.js')).status, 404);
    assert.equal((await app.request('/assets/../index.html')).status, 404);
  });

  it('without a build, / explains how to build the UI', async () => {
    const bare = new Hono();
    registerUiRoutes(bare, join(dir, 'missing'));
    const res = await bare.request('/');
    assert.equal(res.status, 200);
    assert.match(await res.text(), /npm run build/);
  });
});

describe('ui.* config keys', () => {
  async function serve(ui: Record<string, string>) {
    const { config } = loadConfig({ env: ui });
    config.server.host = '127.0.0.1';
    config.server.httpPort = 0;
    config.server.grpcPort = 0;
    config.db.url = `file:${join(dir, `db-${Math.random()}.db`)}`;
    return startServer(config, { logger: silentLogger(), shutdownGracePeriodMs: 500 });
  }

  it('ui.enabled=false: / is not served', async () => {
    const server = await serve({ ENSIGN_UI_ENABLED: 'false' });
    try {
      const res = await fetch(`${server.url}/`);
      assert.equal(res.status, 404);
      assert.equal(((await res.json()) as { code: number }).code, 5);
    } finally {
      await server.close();
    }
  });

  it('ui.default_theme and ui.topbar reach the UI through /meta/info', async () => {
    const server = await serve({
      ENSIGN_UI_DEFAULT_THEME: 'dark',
      ENSIGN_UI_TOPBAR_COLOR: '#7b2d26',
      ENSIGN_UI_TOPBAR_LABEL: 'production',
    });
    try {
      assert.equal((await fetch(`${server.url}/`)).status, 200);
      const info = (await (await fetch(`${server.url}/meta/info`)).json()) as { ui: unknown };
      assert.deepEqual(info.ui, { theme: 'dark', topbarColor: '#7b2d26', topbarLabel: 'production' });
    } finally {
      await server.close();
    }
  });

  it('an unknown theme stops the configuration with a message naming the key', () => {
    assert.throws(() => loadConfig({ env: { ENSIGN_UI_DEFAULT_THEME: 'purple' } }), /ui\.default_theme/);
  });
});
