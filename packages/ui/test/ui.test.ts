import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { buildUi, firstLoadGzipBytes, uiUpToDate } from '../../../scripts/build-ui.ts';
import { EnsignClient } from '../../client/src/index.ts';
import { loadConfig, resolveConfig } from '../../server/src/config/load.ts';
import { silentLogger } from '../../server/src/observability/logger.ts';
import { type RunningServer, startServer } from '../../server/src/run.ts';
import { chromiumMissing, launch, screenshots, seriousA11yViolations, watchErrors } from './browser.ts';

// The web UI end to end: the built app served by a real server over a real SQLite database,
// driven in Chromium the way a person would (labels, buttons, drag and drop). What the UI
// shows is then checked against the REST API and @ensign/client. Login with a client token
// runs when the server has authentication (it skips, saying so, on a build without it).

const dir = mkdtempSync(join(tmpdir(), 'ensign-ui-'));
const dbUrl = `file:${join(dir, 'ui.db')}`;
const NS = 'team-a';
const BOOTSTRAP = 'ui-test-bootstrap-token';

async function serve(readOnly: boolean): Promise<RunningServer> {
  const { config } = loadConfig({ env: {} });
  config.server.host = '127.0.0.1';
  config.server.httpPort = 0;
  config.server.grpcPort = 0;
  config.storage.type = 'database';
  config.storage.readOnly = readOnly;
  config.db.url = dbUrl;
  return startServer(config, { logger: silentLogger(), shutdownGracePeriodMs: 1000 });
}

async function rest<T>(server: RunningServer, method: string, path: string, body?: unknown): Promise<T> {
  const response = await fetch(`${server.url}${path}`, {
    method,
    headers: { 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  assert.equal(response.status, 200, `${method} ${path}`);
  return (await response.json()) as T;
}

async function checkA11y(page: Page, name: string): Promise<void> {
  assert.deepEqual(await seriousA11yViolations(page), [], `${name}: serious accessibility violations`);
}

/** The `.field` that holds the labelled control: errors must appear inside it. */
const fieldOf = (page: Page, form: string, label: string) =>
  page
    .getByRole('form', { name: form })
    .locator('.field')
    .filter({ has: page.getByLabel(label, { exact: true }) });

/** Retries `check` until it passes or 5 s have gone by (for effects of a click that lands later). */
async function eventually(check: () => Promise<void>): Promise<void> {
  const deadline = Date.now() + 5000;
  for (;;) {
    try {
      return await check();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}

const nav = (page: Page, name: string) =>
  page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name, exact: true });

interface RuleJson {
  segmentKey: string;
  segmentOperator: string;
  segmentKeys: string[];
  distributions: { variantId: string; rollout: number }[];
}
interface FlagJson {
  enabled: boolean;
  variants: { id: string; key: string; attachment: string }[];
}

describe('web UI', {
  skip: chromiumMissing ? 'chromium not installed (apt-get install chromium)' : false,
}, () => {
  let browser: Browser;
  before(async () => {
    if (!uiUpToDate()) await buildUi();
    const bytes = firstLoadGzipBytes();
    assert.ok(bytes < 150 * 1024, `first load is ${bytes} bytes gzipped`);
    browser = await launch();
  });
  after(async () => {
    await browser?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('manages a namespace, segment, flag, variants and rules; the API and the client agree', {
    timeout: 120_000,
  }, async () => {
    const server = await serve(false);
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
    const page = await context.newPage();
    const errors = watchErrors(page);
    try {
      // Served at / with the right headers; the app lands on the default namespace's flags.
      const index = await fetch(`${server.url}/`, { headers: { 'accept-encoding': 'gzip' } });
      assert.equal(index.headers.get('content-type'), 'text/html; charset=utf-8');
      assert.match(index.headers.get('content-security-policy') ?? '', /default-src 'self'/);
      const asset = /src="(\/assets\/[^"]+\.js)"/.exec(await index.text())?.[1];
      assert.ok(asset);
      const js = await fetch(`${server.url}${asset}`, { headers: { 'accept-encoding': 'gzip' } });
      assert.match(js.headers.get('cache-control') ?? '', /immutable/);
      assert.match(js.headers.get('content-type') ?? '', /^text\/javascript/);

      await page.goto(server.url);
      await page.waitForURL(/#\/namespaces\/default\/flags$/);
      await page.getByRole('heading', { name: 'Flags' }).waitFor();

      // Namespaces: a bad key is reported under the Key field; a good one is created.
      await nav(page, 'Namespaces').click();
      const nsForm = page.getByRole('form', { name: 'New namespace' });
      await nsForm.getByLabel('Name').fill('Team A');
      assert.equal(await nsForm.getByLabel('Key').inputValue(), NS);
      await nsForm.getByLabel('Key').fill('team a!');
      await nsForm.getByRole('button', { name: 'Create namespace' }).click();
      await fieldOf(page, 'New namespace', 'Key').getByText('contains invalid characters').waitFor();
      await nsForm.getByLabel('Key').fill(NS);
      await nsForm.getByRole('button', { name: 'Create namespace' }).click();
      await page.getByRole('link', { name: 'Team A' }).waitFor();
      await checkA11y(page, 'namespaces');
      await screenshots(page, 'namespaces');

      // The switcher moves to the new namespace.
      await page.getByLabel('Namespace', { exact: true }).selectOption(NS);
      await page.waitForURL(new RegExp(`#/namespaces/${NS}/flags$`));

      // A segment with three constraint types: a string "one of" list, a number, a boolean.
      await nav(page, 'Segments').click();
      await page.getByRole('link', { name: 'New segment' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Beta users');
      await page.getByRole('button', { name: 'Create segment' }).click();
      await page.waitForURL(/segments\/beta-users$/);
      const cForm = page.getByRole('form', { name: 'New constraint' });
      await cForm.getByLabel('Property').fill('plan');
      await cForm.getByLabel('Operator').selectOption('isoneof');
      for (const value of ['pro', 'enterprise']) {
        await cForm.getByLabel('New value').fill(value);
        await cForm.getByLabel('New value').press('Enter');
      }
      await cForm.getByRole('button', { name: 'Add constraint' }).click();
      await page.locator('.constraint').nth(0).waitFor();
      await cForm.getByLabel('Type').selectOption('NUMBER_COMPARISON_TYPE');
      await cForm.getByLabel('Property').fill('age');
      await cForm.getByLabel('Operator').selectOption('gte');
      assert.equal(await cForm.getByLabel('Value', { exact: true }).getAttribute('type'), 'number');
      await cForm.getByLabel('Value', { exact: true }).fill('18');
      await cForm.getByRole('button', { name: 'Add constraint' }).click();
      await page.locator('.constraint').nth(1).waitFor();
      await cForm.getByLabel('Type').selectOption('BOOLEAN_COMPARISON_TYPE');
      await cForm.getByLabel('Property').fill('beta');
      assert.deepEqual(
        await cForm
          .getByLabel('Operator')
          .locator('option')
          .evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value)),
        ['true', 'false', 'present', 'notpresent'],
      );
      assert.equal(
        await cForm.getByLabel('Value', { exact: true }).count(),
        0,
        'boolean operators take no value',
      );
      await cForm.getByRole('button', { name: 'Add constraint' }).click();
      await page.locator('.constraint').nth(2).waitFor();
      const segment = await rest<{
        constraints: { type: string; property: string; operator: string; value: string }[];
      }>(server, 'GET', `/api/v1/namespaces/${NS}/segments/beta-users`);
      assert.deepEqual(
        segment.constraints.map(({ type, property, operator, value }) => ({
          type,
          property,
          operator,
          value,
        })),
        [
          {
            type: 'STRING_COMPARISON_TYPE',
            property: 'plan',
            operator: 'isoneof',
            value: '["pro","enterprise"]',
          },
          { type: 'NUMBER_COMPARISON_TYPE', property: 'age', operator: 'gte', value: '18' },
          { type: 'BOOLEAN_COMPARISON_TYPE', property: 'beta', operator: 'true', value: '' },
        ],
      );
      await checkA11y(page, 'segment');
      await screenshots(page, 'segment');

      await nav(page, 'Segments').click();
      await page.getByRole('link', { name: 'New segment' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Everyone');
      await page.getByRole('button', { name: 'Create segment' }).click();
      await page.waitForURL(/segments\/everyone$/);

      // A variant flag with two variants; a broken attachment is caught before sending, a
      // duplicate key is reported by the server under the Key field.
      await nav(page, 'Flags').click();
      await page.getByRole('link', { name: 'New flag' }).click();
      await page.getByLabel('Name', { exact: true }).fill('Checkout');
      await page.getByRole('button', { name: 'Create flag' }).click();
      await page.waitForURL(/flags\/checkout$/);
      const vForm = page.getByRole('form', { name: 'New variant' });
      await vForm.getByLabel('Key').fill('blue');
      await vForm.getByLabel('Attachment (JSON)').fill('{"color":');
      await fieldOf(page, 'New variant', 'Attachment (JSON)').getByText('invalid JSON').waitFor();
      assert.equal(await vForm.getByRole('button', { name: 'Add variant' }).isDisabled(), true);
      await vForm.getByLabel('Attachment (JSON)').fill('{"color": "#00f"}');
      await vForm.getByRole('button', { name: 'Add variant' }).click();
      await page.locator('.items .item').filter({ hasText: 'blue' }).waitFor();
      for (const key of ['green', 'blue']) {
        await vForm.getByLabel('Key').fill(key);
        await vForm.getByRole('button', { name: 'Add variant' }).click();
      }
      await fieldOf(page, 'New variant', 'Key').getByText('is not unique').waitFor();
      await page.getByRole('checkbox', { name: 'Enabled' }).check();
      await page.locator('.badge.on').waitFor();
      const details = page.getByRole('region', { name: 'Details' });
      await details.getByLabel('Metadata (JSON object)').fill('{"team": "payments"');
      await details.locator('.field').filter({ hasText: 'Metadata' }).getByText('invalid JSON').waitFor();
      await details.getByLabel('Metadata (JSON object)').fill('{"team": "payments"}');
      await details.getByRole('button', { name: 'Save', exact: true }).click();
      await eventually(async () =>
        assert.deepEqual(
          (await rest<{ metadata?: unknown }>(server, 'GET', `/api/v1/namespaces/${NS}/flags/checkout`))
            .metadata,
          {
            team: 'payments',
          },
        ),
      );

      // Rule 1: Beta users, 30/70. The inputs never let the total pass 100.
      const rForm = page.getByRole('form', { name: 'New rule' });
      await rForm.getByRole('checkbox', { name: 'Beta users' }).check();
      await rForm.getByLabel('Percentage for blue').fill('30');
      await rForm.getByLabel('Percentage for green').fill('80');
      assert.equal(await rForm.getByLabel('Percentage for green').inputValue(), '70');
      await rForm.getByRole('button', { name: 'Add rule' }).click();
      await page.locator('.reorder > li').nth(0).waitFor();
      await rForm.getByRole('checkbox', { name: 'Everyone' }).check();
      await rForm.getByRole('button', { name: 'Add rule' }).click();
      await page.locator('.reorder > li').nth(1).waitFor();

      const flagPath = `/api/v1/namespaces/${NS}/flags/checkout`;
      const flag = await rest<FlagJson>(server, 'GET', flagPath);
      assert.equal(flag.enabled, true);
      assert.deepEqual(
        flag.variants.map((v) => [v.key, v.attachment]),
        [
          ['blue', '{"color":"#00f"}'],
          ['green', ''],
        ],
      );
      const idOf = (key: string) => flag.variants.find((v) => v.key === key)!.id;
      let rules = (await rest<{ rules: RuleJson[] }>(server, 'GET', `${flagPath}/rules`)).rules;
      assert.deepEqual(
        rules.map((r) => r.segmentKey),
        ['beta-users', 'everyone'],
      );
      assert.deepEqual(
        rules[0]!.distributions.map((d) => [d.variantId, d.rollout]),
        [
          [idOf('blue'), 30],
          [idOf('green'), 70],
        ],
      );

      // Drag the second rule above the first.
      await page.locator('.reorder > li').nth(1).dragTo(page.locator('.reorder > li').nth(0));
      await page.locator('.reorder > li').nth(0).filter({ hasText: 'everyone' }).waitFor();
      // The page shows the new order as soon as it sends it; the server has it a moment later.
      const ruleOrder = async () =>
        (await rest<{ rules: RuleJson[] }>(server, 'GET', `${flagPath}/rules`)).rules.map(
          (r) => r.segmentKey,
        );
      await eventually(async () => assert.deepEqual(await ruleOrder(), ['everyone', 'beta-users']));
      // And back with the keyboard-reachable button.
      await page.getByRole('button', { name: 'Move rule for beta-users up' }).click();
      await page.locator('.reorder > li').nth(0).filter({ hasText: 'beta-users' }).waitFor();
      await eventually(async () => assert.deepEqual(await ruleOrder(), ['beta-users', 'everyone']));

      // The in-browser preview shows both variants over the generated entities.
      const outcomes = page.getByRole('list', { name: 'Outcomes' }).locator('li .label');
      await outcomes.nth(1).waitFor();
      assert.deepEqual((await outcomes.allTextContents()).sort(), ['blue', 'green']);
      await checkA11y(page, 'flag');
      await screenshots(page, 'flag');

      // The console; then the REST API and @ensign/client must give the same answer.
      const ctx = { plan: 'pro', age: '30', beta: 'true' };
      await nav(page, 'Console').click();
      await page.getByLabel('Flag').selectOption('checkout');
      await page.getByLabel('Entity id').fill('user-42');
      await page.getByLabel('Context (JSON object of strings)').fill(JSON.stringify(ctx));
      await page.getByRole('button', { name: 'Evaluate' }).click();
      const shownVariant = await page.getByTestId('answer-value').textContent();
      const shownReason = (await page.getByTestId('answer-reason').textContent()) ?? '';
      const request = { namespaceKey: NS, flagKey: 'checkout', entityId: 'user-42', context: ctx };
      const viaRest = await rest<{ variantKey: string; reason: string; segmentKeys: string[] }>(
        server,
        'POST',
        '/evaluate/v1/variant',
        request,
      );
      assert.equal(viaRest.reason, 'MATCH_EVALUATION_REASON');
      assert.deepEqual(viaRest.segmentKeys, ['beta-users']);
      assert.equal(shownVariant, viaRest.variantKey);
      assert.ok(shownReason.startsWith(viaRest.reason), shownReason);
      const client = await EnsignClient.init({ url: server.url, namespace: NS });
      try {
        const viaClient = client.evaluateVariant({ flagKey: 'checkout', entityId: 'user-42', context: ctx });
        assert.equal(viaClient.variantKey, shownVariant);
        assert.equal(viaClient.reason, viaRest.reason);
      } finally {
        client.close();
      }
      await checkA11y(page, 'console');
      await screenshots(page, 'console');

      // Edit a rule's segments: the second rule now needs both segments.
      await page.goto(`${server.url}/#/namespaces/${NS}/flags/checkout`);
      await page.locator('.reorder > li').nth(1).getByRole('button', { name: 'Edit segments' }).click();
      const segForm = page.getByRole('form', { name: 'Segments of rule 2' });
      await segForm.getByRole('checkbox', { name: 'Beta users' }).check();
      await segForm.getByRole('radio', { name: 'All (AND)' }).check();
      await segForm.getByRole('button', { name: 'Save segments' }).click();
      await page.locator('.reorder > li').nth(1).getByText('everyone AND beta-users').waitFor();
      rules = (
        await rest<{ rules: (RuleJson & { segmentOperator: string })[] }>(server, 'GET', `${flagPath}/rules`)
      ).rules;
      assert.deepEqual(
        [rules[1]!.segmentKeys, rules[1]!.segmentOperator],
        [['everyone', 'beta-users'], 'AND_SEGMENT_OPERATOR'],
      );
      assert.deepEqual((await rest<{ metadata: unknown }>(server, 'GET', flagPath)).metadata, {
        team: 'payments',
      });

      // Two editors: a change made in one page appears in the other without a reload.
      const other = await context.newPage();
      await other.goto(`${server.url}/#/namespaces/${NS}/flags/checkout`);
      await other.locator('.badge.on').waitFor();
      await page.goto(`${server.url}/#/namespaces/${NS}/flags/checkout`);
      await page.getByRole('checkbox', { name: 'Enabled' }).uncheck();
      await other.locator('.badge.off').waitFor({ timeout: 10_000 });
      await other.close();

      // Copy the flag (and its variants) to the default namespace.
      const copy = page.getByRole('region', { name: 'Copy to another namespace' });
      await copy.getByLabel('Namespace').selectOption('default');
      await copy.getByRole('button', { name: 'Copy flag' }).click();
      await copy.getByRole('status').waitFor();
      const copied = await rest<FlagJson>(server, 'GET', '/api/v1/namespaces/default/flags/checkout');
      assert.deepEqual(
        copied.variants.map((v) => v.key),
        ['blue', 'green'],
      );

      // Flags list, then the dark theme.
      await nav(page, 'Flags').click();
      await page.getByRole('link', { name: 'checkout' }).waitFor();
      await checkA11y(page, 'flags');
      await screenshots(page, 'flags');
      await page.goto(`${server.url}/#/namespaces/${NS}/flags/checkout`);
      while ((await page.locator('html').getAttribute('data-theme')) !== 'dark')
        await page.getByRole('button', { name: /^Theme/ }).click();
      await page.getByRole('list', { name: 'Outcomes' }).waitFor();
      await checkA11y(page, 'flag (dark)');
      await screenshots(page, 'flag-dark');
      assert.deepEqual(errors, []);
    } finally {
      await context.close();
      await server.close();
    }
  });

  it('boolean flags: threshold and segment rollouts, reordered, and the default value', {
    timeout: 90_000,
  }, async () => {
    const server = await serve(false);
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors = watchErrors(page);
    try {
      await page.goto(`${server.url}/#/namespaces/${NS}/flags/new`);
      await page.getByLabel('Name', { exact: true }).fill('Dark mode');
      await page.getByLabel('Type').selectOption('BOOLEAN_FLAG_TYPE');
      await page.getByRole('button', { name: 'Create flag' }).click();
      await page.waitForURL(/flags\/dark-mode$/);

      const form = page.getByRole('form', { name: 'New rollout' });
      // Out of range is refused next to the field, before anything is sent.
      await form.getByLabel('Percentage', { exact: true }).fill('120');
      await form.getByRole('button', { name: 'Add rollout' }).click();
      await fieldOf(page, 'New rollout', 'Percentage').getByText('between 0 and 100').waitFor();
      await form.getByLabel('Percentage', { exact: true }).fill('25');
      await form.getByRole('button', { name: 'Add rollout' }).click();
      await page.locator('.reorder > li').nth(0).waitFor();
      await form.getByRole('radio', { name: 'Segment' }).check();
      await form.getByRole('checkbox', { name: 'Beta users' }).check();
      await form.getByLabel('Value', { exact: true }).selectOption('false');
      await form.getByRole('button', { name: 'Add rollout' }).click();
      await page.locator('.reorder > li').nth(1).waitFor();

      const path = `/api/v1/namespaces/${NS}/flags/dark-mode/rollouts`;
      type RolloutJson = {
        type: string;
        threshold?: { percentage: number; value: boolean };
        segment?: { segmentKey: string; value: boolean };
      };
      let rollouts = (await rest<{ rules: RolloutJson[] }>(server, 'GET', path)).rules;
      assert.deepEqual(
        rollouts.map((r) => r.threshold ?? r.segment),
        [
          { percentage: 25, value: true },
          { segmentKey: 'beta-users', segmentKeys: [], segmentOperator: 'OR_SEGMENT_OPERATOR', value: false },
        ],
      );

      // The segment rollout first: drag it above the threshold.
      await page.locator('.reorder > li').nth(1).dragTo(page.locator('.reorder > li').nth(0));
      await page
        .locator('.reorder > li')
        .nth(0)
        .filter({ hasText: 'Rank 1' })
        .filter({ hasText: 'beta-users' })
        .waitFor();
      await eventually(async () => {
        rollouts = (await rest<{ rules: RolloutJson[] }>(server, 'GET', path)).rules;
        assert.deepEqual(
          rollouts.map((r) => r.type),
          ['SEGMENT_ROLLOUT_TYPE', 'THRESHOLD_ROLLOUT_TYPE'],
        );
      });

      // Edit the threshold in place (it is rollout 2 now).
      await page.getByRole('spinbutton', { name: 'Percentage of rollout 2' }).fill('40');
      await page
        .getByRole('form', { name: 'Percentage of rollout 2' })
        .getByRole('button', { name: 'Save' })
        .click();
      await page.locator('.reorder > li').nth(1).getByText('40%').waitFor();
      rollouts = (await rest<{ rules: RolloutJson[] }>(server, 'GET', path)).rules;
      assert.deepEqual(rollouts[1]!.threshold, { percentage: 40, value: true });

      // The preview: 40 % of entities get true from the threshold, the rest the flag's Enabled
      // value (off); switching Enabled on moves everyone to true.
      const outcomes = page.getByRole('list', { name: 'Outcomes' }).locator('li .label');
      const shown = () => outcomes.allTextContents().then((texts) => texts.sort().join());
      await outcomes.nth(1).waitFor();
      assert.equal(await shown(), 'false,true');
      await page.getByRole('checkbox', { name: /^Enabled/ }).check();
      await page.locator('.badge.on').waitFor();
      await page.waitForFunction(() => document.querySelectorAll('[aria-label="Outcomes"] li').length === 1);
      assert.equal(await shown(), 'true');

      // Change a rollout's value in place: beta users now get false, whatever Enabled says.
      await page.getByLabel('Value of rollout 1').selectOption('false');
      await page.locator('.reorder > li').nth(0).getByText('get false').waitFor();
      const answer = await rest<{ enabled: boolean; reason: string }>(
        server,
        'POST',
        '/evaluate/v1/boolean',
        {
          namespaceKey: NS,
          flagKey: 'dark-mode',
          entityId: 'someone',
          context: { plan: 'pro', age: '40', beta: 'true' },
        },
      );
      assert.deepEqual([answer.enabled, answer.reason], [false, 'MATCH_EVALUATION_REASON']);
      await checkA11y(page, 'boolean flag');
      await screenshots(page, 'boolean-flag');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      await server.close();
    }
  });

  it('login with a client token, then log out', { timeout: 60_000 }, async (t) => {
    const document = {
      log: { level: 'error' },
      server: { host: '127.0.0.1', http_port: 0, grpc_port: 0 },
      storage: { type: 'database' },
      db: { url: `file:${join(dir, 'auth.db')}` },
      authentication: {
        required: true,
        methods: { token: { enabled: true, bootstrap: { token: BOOTSTRAP } } },
      },
    };
    let server: RunningServer;
    try {
      server = await startServer(resolveConfig(document, { env: {}, cwd: dir }).config, {
        logger: silentLogger(),
        shutdownGracePeriodMs: 500,
      });
    } catch (error) {
      t.skip(`authentication is not available in this build: ${(error as Error).message}`);
      return;
    }
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors = watchErrors(page);
    try {
      if ((await fetch(`${server.url}/meta/info`)).status === 200) {
        t.skip('authentication is not available in this build: /meta/info answers without a token');
        return;
      }
      const minted = await fetch(`${server.url}/auth/v1/method/token`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BOOTSTRAP}`, 'content-type': 'application/json' },
        body: JSON.stringify({ name: 'ui test' }),
      });
      const { clientToken } = (await minted.json()) as { clientToken: string };

      await page.goto(server.url);
      await page.getByRole('heading', { name: 'Log in to Ensign' }).waitFor();
      await checkA11y(page, 'login');
      await screenshots(page, 'login');
      await page.getByLabel('Client token').fill('not-a-token');
      await page.getByRole('button', { name: 'Log in with token' }).click();
      await page.locator('.field').filter({ hasText: 'Client token' }).getByText('not accepted').waitFor();
      await page.getByLabel('Client token').fill(clientToken);
      await page.getByRole('button', { name: 'Log in with token' }).click();
      await page.getByRole('heading', { name: 'Flags' }).waitFor();

      // Tokens: create one (shown once, and it works), then delete it (and it stops working).
      await nav(page, 'Tokens').click();
      const tokenForm = page.getByRole('form', { name: 'New token' });
      await tokenForm.getByLabel('Name', { exact: true }).fill('ci');
      await tokenForm.getByRole('button', { name: 'Create token' }).click();
      const shownToken = (await page.getByTestId('new-token').textContent()) ?? '';
      const asUser = (token: string) =>
        fetch(`${server.url}/auth/v1/self`, { headers: { authorization: `Bearer ${token}` } }).then(
          (r) => r.status,
        );
      assert.equal(await asUser(shownToken), 200);
      await checkA11y(page, 'tokens');
      await screenshots(page, 'tokens');
      await page.getByRole('button', { name: 'Delete token ci' }).click();
      await page.getByRole('button', { name: 'Delete token ci' }).waitFor({ state: 'detached' });
      assert.equal(await asUser(shownToken), 401);

      await page.getByRole('button', { name: /^Log out/ }).click();
      await page.getByRole('heading', { name: 'Log in to Ensign' }).waitFor();
      const self = await fetch(`${server.url}/auth/v1/self`, {
        headers: { authorization: `Bearer ${clientToken}` },
      });
      assert.equal(self.status, 401, 'logging out expires the token');
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      await server.close();
    }
  });

  it('read-only storage: a banner and no edit controls', { timeout: 60_000 }, async () => {
    const server = await serve(true);
    const page = await browser.newPage({ viewport: { width: 1280, height: 860 } });
    const errors = watchErrors(page);
    try {
      const pages = [
        ['flags', `/namespaces/${NS}/flags`, 'checkout'],
        ['flag', `/namespaces/${NS}/flags/checkout`, 'Rules'],
        ['boolean flag', `/namespaces/${NS}/flags/dark-mode`, 'Rollouts'],
        ['segment', `/namespaces/${NS}/segments/beta-users`, 'Constraints'],
        ['namespaces', '/namespaces', 'All namespaces'],
      ] as const;
      for (const [name, path, marker] of pages) {
        await page.goto(`${server.url}/#${path}`);
        await page.getByText(marker, { exact: true }).first().waitFor();
        await page.getByRole('status').filter({ hasText: 'Read-only' }).waitFor();
        assert.equal(await page.locator('main form').count(), 0, `${name}: no forms`);
        assert.equal(
          await page.getByRole('button', { name: /^(Edit|Delete|Save|Add|Create|Move)/ }).count(),
          0,
          `${name}: no edit buttons`,
        );
        assert.equal(await page.getByRole('link', { name: /^New / }).count(), 0, `${name}: no "New" links`);
        assert.equal(await page.locator('[draggable="true"]').count(), 0, `${name}: nothing to drag`);
        await checkA11y(page, `${name} (read-only)`);
        if (name === 'flag') {
          assert.equal(await page.getByRole('checkbox', { name: 'Enabled' }).isDisabled(), true);
          for (const input of await page.locator('.distributions input').all())
            assert.equal(await input.isDisabled(), true);
          await screenshots(page, 'flag-read-only');
        }
      }
      // Evaluating still works in read-only mode.
      await page.goto(`${server.url}/#/namespaces/${NS}/console`);
      await page.getByLabel('Flag').selectOption('checkout');
      await page.getByRole('button', { name: 'Evaluate' }).click();
      await page.getByTestId('answer-reason').waitFor();
      assert.deepEqual(errors, []);
    } finally {
      await page.close();
      await server.close();
    }
  });
});
