import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser } from 'playwright-core';
import { buildUi, uiUpToDate } from '../../../scripts/build-ui.ts';
import type { RunningServer } from '../../server/src/run.ts';
import { startDatabaseServer } from '../../server/test/support/database-server.ts';
import { chromiumMissing, launch, screenshots, seriousA11yViolations, watchErrors } from './browser.ts';

// The History panels of the flag and segment pages in Chromium against a real server keeping
// audit events in its SQLite database: who changed the flag (segment), what and when, newest
// first, older pages on demand, and a change made elsewhere on top, pushed by the change stream.

const dir = mkdtempSync(join(tmpdir(), 'ensign-ui-history-'));

describe('flag and segment history in the web UI', {
  skip: chromiumMissing ? 'chromium not installed (apt-get install chromium)' : false,
}, () => {
  let browser: Browser;
  let server: RunningServer;
  before(async () => {
    if (!uiUpToDate()) await buildUi();
    browser = await launch();
    server = await startDatabaseServer(`file:${join(dir, 'history.db')}`, dir, {
      audit: { sinks: { database: { enabled: true } } },
    });
  });
  after(async () => {
    await browser?.close();
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const rest = async (method: string, path: string, body: unknown) => {
    const response = await fetch(`${server.url}${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    assert.equal(response.status, 200, `${method} ${path}`);
  };

  it('lists who changed what and when, newest first, pages back, and follows pushed changes', {
    timeout: 90_000,
  }, async () => {
    const flags = '/api/v1/namespaces/default/flags';
    await rest('POST', flags, { key: 'checkout', name: 'Checkout', enabled: true });
    await rest('POST', `${flags}/checkout/variants`, { key: 'blue' });
    for (let i = 0; i < 20; i++)
      await rest('PUT', `${flags}/checkout`, { name: `Checkout ${i}`, enabled: i % 2 === 0 });

    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors = watchErrors(page);
    try {
      await page.goto(`${server.url}/#/namespaces/default/flags/checkout`);
      const panel = page.getByRole('region', { name: 'History' });
      await panel.waitFor();
      const items = panel.locator('li.item');
      await items.first().waitFor();
      assert.equal(await items.count(), 20);
      // Newest first: the last update disabled the flag; no authentication, so the address shows.
      assert.match(
        (await items.first().textContent()) ?? '',
        /anonymous \(127\.0\.0\.1\)\s*updated the flag \(disabled\)/,
      );
      assert.ok(await items.first().locator('time').getAttribute('datetime'));

      await panel.getByRole('button', { name: 'Show older changes' }).click();
      await items.nth(21).waitFor();
      assert.equal(await items.count(), 22);
      assert.match((await items.nth(20).textContent()) ?? '', /created variant blue/);
      assert.match((await items.nth(21).textContent()) ?? '', /created the flag \(enabled\)/);
      assert.equal(await panel.getByRole('button', { name: 'Show older changes' }).count(), 0);

      // A change made elsewhere that the change stream reports is on top without a reload.
      await rest('PUT', `${flags}/checkout`, { name: 'Checkout live', enabled: true });
      await panel
        .locator('li.item')
        .first()
        .filter({ hasText: 'updated the flag (enabled)' })
        .waitFor({ timeout: 10_000 });
      // So is one evaluation never sees (a variant no rule uses): the stream's revision event.
      await rest('POST', `${flags}/checkout/variants`, { key: 'green' });
      await panel.locator('li.item', { hasText: 'created variant green' }).waitFor({ timeout: 10_000 });
      assert.match((await items.first().textContent()) ?? '', /created variant green/);

      assert.deepEqual(await seriousA11yViolations(page), []);
      await screenshots(page, 'flag-history');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });

  it("lists a segment's changes and its constraints', and follows a rename made elsewhere", {
    timeout: 90_000,
  }, async () => {
    const segments = '/api/v1/namespaces/default/segments';
    await rest('POST', segments, { key: 'beta', name: 'Beta', matchType: 'ALL_MATCH_TYPE' });
    await rest('POST', `${segments}/beta/constraints`, {
      type: 'STRING_COMPARISON_TYPE',
      property: 'plan',
      operator: 'eq',
      value: 'pro',
    });
    // A flag of the same key: its history is not the segment's.
    await rest('POST', '/api/v1/namespaces/default/flags', { key: 'beta', name: 'Beta', enabled: true });

    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors = watchErrors(page);
    try {
      await page.goto(`${server.url}/#/namespaces/default/segments/beta`);
      const panel = page.getByRole('region', { name: 'History' });
      const items = panel.locator('li.item');
      await items.nth(1).waitFor();
      assert.equal(await items.count(), 2);
      assert.match((await items.nth(0).textContent()) ?? '', /created constraint on plan/);
      assert.match((await items.nth(1).textContent()) ?? '', /created the segment/);

      // Renaming changes no evaluation; the revision event brings it, history and heading alike.
      await rest('PUT', `${segments}/beta`, {
        key: 'beta',
        name: 'Beta testers',
        matchType: 'ALL_MATCH_TYPE',
      });
      await page.getByRole('heading', { name: 'Beta testers' }).waitFor({ timeout: 10_000 });
      await panel
        .locator('li.item')
        .first()
        .filter({ hasText: 'updated the segment' })
        .waitFor({ timeout: 10_000 });
      assert.equal(await items.count(), 3);

      assert.deepEqual(await seriousA11yViolations(page), []);
      await screenshots(page, 'segment-history');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
    }
  });
});
