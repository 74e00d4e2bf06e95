import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';

/** A page of the app with every request and every error recorded, as the e2e tests want them. */
export interface AppPage {
  page: Page;
  requests: string[];
  errors: string[];
  close(): Promise<void>;
}

export async function openApp(browser: Browser, url: string): Promise<AppPage> {
  const context = await browser.newContext();
  const page = await context.newPage();
  const requests: string[] = [];
  const errors: string[] = [];
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(url);
  return { page, requests, errors, close: () => context.close() };
}

/** Waits until the status line says the model is ready and returns its text. */
export async function modelReady(page: Page, timeout = 120_000): Promise<string> {
  const status = page.getByRole('status').filter({ hasText: 'Model ready' });
  await status.waitFor({ timeout });
  return (await status.textContent()) ?? '';
}

/** Waits until the data summary names this data set (so we know a new build landed). */
export async function summaryShows(page: Page, label: string, timeout = 60_000): Promise<string> {
  const summary = page.getByRole('region', { name: 'Data summary' });
  await summary.filter({ hasText: label }).waitFor({ timeout });
  return (await summary.textContent()) ?? '';
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
