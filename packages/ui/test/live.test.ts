import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { buildUi, uiUpToDate } from '../../../scripts/build-ui.ts';
import type { RunningServer } from '../../server/src/run.ts';
import { postgresEngine, type TestDatabase } from '../../server/test/database/engines.ts';
import { startDatabaseServer } from '../../server/test/support/database-server.ts';
import { chromiumMissing, launch, watchErrors } from './browser.ts';

// Two people in two browser contexts (separate sessions, nothing shared but the server) have the
// same pages open; what one saves shows on the other's page without a reload, also the edits
// evaluation never sees (a variant no rule uses, a segment's name), which the change stream
// reports through its `revision` event. Once on one server, once on two replicas of one
// PostgreSQL database, where the other replica learns of the write by polling.

const dir = mkdtempSync(join(tmpdir(), 'ensign-ui-live-'));
const postgres = await postgresEngine();

const start = (db: string): Promise<RunningServer> => startDatabaseServer(db, dir);

async function rest(server: RunningServer, method: string, path: string, body: unknown): Promise<void> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 200, `${method} ${path}: ${await response.text()}`);
}

/** Person A edits through `a`'s UI while person B watches through `b`'s. */
async function twoPeople(browser: Browser, a: RunningServer, b: RunningServer, ns: string): Promise<void> {
  await rest(a, 'POST', '/api/v1/namespaces', { key: ns, name: ns });
  await rest(a, 'POST', `/api/v1/namespaces/${ns}/flags`, {
    key: 'checkout',
    name: 'Checkout',
    type: 'VARIANT_FLAG_TYPE',
    enabled: true,
    description: 'before',
  });
  await rest(a, 'POST', `/api/v1/namespaces/${ns}/segments`, {
    key: 'beta',
    name: 'Beta testers',
    matchType: 'ALL_MATCH_TYPE',
  });

  const contexts: BrowserContext[] = [];
  const open = async (server: RunningServer, path: string): Promise<{ page: Page; errors: string[] }> => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    contexts.push(context);
    const page = await context.newPage();
    const errors = watchErrors(page);
    await page.goto(`${server.url}/#/namespaces/${ns}${path}`);
    return { page, errors };
  };
  try {
    const alice = await open(a, '/flags/checkout');
    const bob = await open(b, '/flags/checkout');
    await bob.page.getByRole('heading', { name: 'Checkout' }).waitFor();
    const bobDetails = bob.page.getByRole('region', { name: 'Details' });
    assert.equal(await bobDetails.getByLabel('Description').inputValue(), 'before');
    // Let Bob's change stream connect before anything moves.
    await bob.page.waitForTimeout(500);

    // A variant no rule uses: the snapshot ETag stays, the revision moves.
    const form = alice.page.getByRole('form', { name: 'New variant' });
    await form.getByLabel('Key').fill('unused');
    await form.getByRole('button', { name: 'Add variant' }).click();
    const bobVariants = bob.page.getByRole('region', { name: 'Variants' });
    await bobVariants.locator('.item', { hasText: 'unused' }).waitFor({ timeout: 10_000 });

    const aliceDetails = alice.page.getByRole('region', { name: 'Details' });
    await aliceDetails.getByLabel('Description').fill('after');
    await aliceDetails.getByRole('button', { name: 'Save', exact: true }).click();
    await bob.page.waitForFunction(
      () =>
        (document.querySelector('input[name="description"]') as HTMLInputElement | null)?.value === 'after',
      undefined,
      { timeout: 10_000 },
    );
    assert.equal(await bobVariants.locator('.item', { hasText: 'unused' }).count(), 1);

    // A segment no flag uses, renamed on Alice's segment page, renamed on Bob's.
    await alice.page.goto(`${a.url}/#/namespaces/${ns}/segments/beta`);
    await bob.page.goto(`${b.url}/#/namespaces/${ns}/segments/beta`);
    await bob.page.getByRole('heading', { name: 'Beta testers' }).waitFor();
    await bob.page.waitForTimeout(500);
    const segmentDetails = alice.page.getByRole('region', { name: 'Details' });
    await segmentDetails.getByLabel('Name', { exact: true }).fill('Early adopters');
    await segmentDetails.getByRole('button', { name: 'Save', exact: true }).click();
    await bob.page.getByRole('heading', { name: 'Early adopters' }).waitFor({ timeout: 10_000 });

    assert.deepEqual(alice.errors, []);
    assert.deepEqual(bob.errors, []);
  } finally {
    for (const context of contexts) await context.close();
  }
}

describe('live updates between two people in the web UI', {
  skip: chromiumMissing ? 'chromium not installed (apt-get install chromium)' : false,
}, () => {
  let browser: Browser;
  before(async () => {
    if (!uiUpToDate()) await buildUi();
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('one server: edits evaluation never sees reach the other page without a reload', {
    timeout: 90_000,
  }, async () => {
    const server = await start(`file:${join(dir, 'live.db')}`);
    try {
      await twoPeople(browser, server, server, 'shop');
    } finally {
      await server.close();
    }
  });

  it('two servers on one PostgreSQL database: the other replica pushes them too', {
    timeout: 90_000,
    skip: postgres.skip ?? false,
  }, async () => {
    let database: TestDatabase | undefined;
    const servers: RunningServer[] = [];
    try {
      database = await postgres.create();
      servers.push(await start(database.url));
      servers.push(await start(database.url));
      await twoPeople(browser, servers[0]!, servers[1]!, 'shop');
    } finally {
      for (const server of servers) await server.close();
      await database?.drop();
    }
  });
});
