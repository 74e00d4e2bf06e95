import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

/** A page of the app with every request and every error recorded, as the e2e tests want them. */
export interface AppPage {
  page: Page;
  requests: string[];
  errors: string[];
  close(): Promise<void>;
}

/** Every URL the page asks for, so a test can prove nothing left the local origin. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.on('request', (request) => urls.push(request.url()));
  return urls;
}

/** Uncaught exceptions and console errors (a CSP violation is one) of the page. */
export function collectErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  return errors;
}

export async function openApp(browser: Browser, url: string): Promise<AppPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests = recordRequests(page);
  const errors = collectErrors(page);
  await page.goto(url);
  return { page, requests, errors, close: () => context.close() };
}

/** Waits until the status line says the model is ready and returns its text. */
export async function modelReady(page: Page, timeout = 120_000): Promise<string> {
  const status = page.getByRole('status').filter({ hasText: 'Model ready' }).filter({ hasNotText: 'Saving' });
  await status.waitFor({ timeout });
  return (await status.textContent()) ?? '';
}

/** Waits until the data summary names this data set (so we know a new build landed). */
export async function summaryShows(page: Page, label: string, timeout = 60_000): Promise<string> {
  const summary = page.getByRole('region', { name: 'Data summary' });
  await summary.filter({ hasText: label }).waitFor({ timeout });
  // And saved: the file pickers wait for the save before taking the next build.
  await modelReady(page, timeout);
  // The full summary (every count) stays in the page when the panels fold into one line.
  // Whitespace collapsed: "Ratings 341", however the markup is laid out.
  return ((await page.locator('section[aria-labelledby="summary-heading"]').textContent()) ?? '').replace(/\s+/g, ' ');
}

/** The problem shown after a failed build. */
export async function alertText(page: Page, timeout = 60_000): Promise<string> {
  const alert = page.getByRole('alert');
  await alert.waitFor({ timeout });
  return (await alert.textContent()) ?? '';
}

/** Asserts that no request left the app's origin. */
export function expectOnlyLocal(requests: string[], origin: string): void {
  expect(requests.filter((u) => !u.startsWith(origin + '/') && !u.startsWith('data:') && !u.startsWith('blob:'))).toEqual([]);
}
