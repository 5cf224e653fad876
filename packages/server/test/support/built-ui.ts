import assert from 'node:assert/strict';

/**
 * A running server answers `/` with the built web UI (not the "not built" page) and serves the
 * script that page loads.
 */
export async function assertServesBuiltUi(url: string): Promise<void> {
  const page = await fetch(`${url}/`);
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
  const html = await page.text();
  const script = /<script[^>]+src="(\/assets\/[^"]+\.js)"/.exec(html)?.[1];
  assert.ok(script, `the built index.html, not the "not built" page:\n${html}`);
  const js = await fetch(`${url}${script}`);
  assert.equal(js.status, 200);
  assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);
  assert.ok((await js.arrayBuffer()).byteLength > 1000, 'the UI script has its content');
}
