import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Browser, chromium, type Page } from 'playwright-core';

// Shared pieces of the UI's browser tests: Debian's Chromium driven by playwright-core, axe-core
// injected into the page, and screenshots written to test-results/ (git-ignored).

export const CHROMIUM = '/usr/bin/chromium';
export const chromiumMissing = !existsSync(CHROMIUM);
if (chromiumMissing && process.env['CI'])
  throw new Error(`${CHROMIUM} is missing: CI must install the Debian "chromium" package`);

export const SCREENSHOTS = fileURLToPath(new URL('../../../test-results/ui/', import.meta.url));
const AXE = readFileSync(fileURLToPath(import.meta.resolve('axe-core/axe.min.js')), 'utf8');

export const DESKTOP = { width: 1280, height: 860 };
export const PHONE = { width: 360, height: 760 };

export function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--no-first-run',
      '--disable-background-networking',
    ],
  });
}

/** Fails on any browser error: uncaught exceptions and console errors (CSP violations included). */
export function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  page.on('console', (m) => {
    // API answers the test provokes on purpose (4xx) are logged by the browser as failed loads.
    if (m.type() === 'error' && !/status of 4\d\d/.test(m.text())) errors.push(m.text());
  });
  return errors;
}

interface AxeResult {
  violations: { id: string; impact: string | null; help: string; nodes: { target: unknown }[] }[];
}

/** Runs axe-core on the page; returns the serious and critical violations, described. */
export async function seriousA11yViolations(page: Page): Promise<string[]> {
  // Evaluated through the debugging protocol, which the page's CSP (rightly) does not allow for tags.
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE);
  const result = (await page.evaluate(() =>
    (window as unknown as { axe: { run(): Promise<unknown> } }).axe.run(),
  )) as AxeResult;
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} at ${JSON.stringify(v.nodes.map((n) => n.target))}`);
}

/** Desktop and phone screenshots of the page as it is; asserts nothing overflows at phone width. */
export async function screenshots(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.setViewportSize(DESKTOP);
  await page.screenshot({ path: `${SCREENSHOTS}${name}-desktop.png`, fullPage: true });
  await page.setViewportSize(PHONE);
  await page.waitForTimeout(50);
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `${name}: the page is ${overflow}px wider than a 360px screen`);
  await page.screenshot({ path: `${SCREENSHOTS}${name}-phone.png`, fullPage: true });
  await page.setViewportSize(DESKTOP);
}
