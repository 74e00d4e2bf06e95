/**
 * Firefox (Debian's ESR) through puppeteer-core over WebDriver BiDi: no browser download, no
 * CDP. Puppeteer starts it headless with a throwaway profile whose preferences already turn off
 * updates, telemetry and other background traffic.
 */
import { existsSync } from 'node:fs';
import puppeteer, { type Browser, type BrowserContext, type ElementHandle, type Page } from 'puppeteer-core';
import { EngineCannot, type Engine, type EngineAvailability } from '../e2e-driver';
import { BasePage, functionFrom } from './base-page';
import type { WireTarget } from './find-in-page';

const CANDIDATES = ['/usr/bin/firefox-esr', '/usr/bin/firefox', '/Applications/Firefox.app/Contents/MacOS/firefox'];
const FIX = 'Fix: apt-get install firefox-esr (or set FIREFOX_PATH=/path/to/firefox)';

export function findFirefox(): string {
  const fromEnv = process.env.FIREFOX_PATH;
  if (fromEnv) {
    if (existsSync(fromEnv)) return fromEnv;
    throw new Error(`FIREFOX_PATH=${fromEnv} does not exist. ${FIX}`);
  }
  const found = CANDIDATES.find((p) => existsSync(p));
  if (!found) throw new Error(`No Firefox found for the cross-engine tests. ${FIX}`);
  return found;
}

export function firefoxAvailability(): EngineAvailability {
  try {
    findFirefox();
    return { installed: true };
  } catch (error) {
    return { installed: false, missing: (error as Error).message };
  }
}

class FirefoxPage extends BasePage<ElementHandle<Element>> {
  private readonly urls: string[] = [];

  constructor(
    engine: Engine,
    private readonly context: BrowserContext,
    private readonly page: Page,
  ) {
    super(engine);
    page.on('request', (request) => this.urls.push(request.url()));
    page.on('pageerror', (error) => this.pageErrors.push((error as Error).message ?? String(error)));
    page.on('console', (message) => {
      if (message.type() === 'error') this.pageErrors.push(message.text());
    });
  }

  async goto(url: string): Promise<void> {
    await this.page.goto(url);
  }
  async reload(): Promise<void> {
    await this.page.reload();
  }
  async url(): Promise<string> {
    return this.page.url();
  }
  async press(key: string): Promise<void> {
    await this.page.keyboard.press(key as Parameters<Page['keyboard']['press']>[0]);
  }
  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path: path as `${string}.png` });
  }
  override async setOffline(offline: boolean): Promise<void> {
    await this.page.setOfflineMode(offline);
  }
  async requests(): Promise<string[]> {
    return [...this.urls];
  }
  async close(): Promise<void> {
    await this.context.close();
  }

  protected run<R>(source: string, arg: unknown): Promise<R> {
    return this.page.evaluate(functionFrom<unknown, R>(source), arg) as Promise<R>;
  }
  protected async handle(source: string, target: WireTarget): Promise<ElementHandle<Element> | undefined> {
    const handle = await this.page.evaluateHandle(functionFrom<unknown, Element | null>(source), { target, extra: null });
    const element = handle.asElement() as ElementHandle<Element> | null;
    if (!element) await handle.dispose();
    return element ?? undefined;
  }
  protected async clickHandle(handle: ElementHandle<Element>): Promise<void> {
    await handle.click();
  }
  protected async typeInto(handle: ElementHandle<Element>, text: string): Promise<void> {
    await handle.type(text);
  }
  protected async setFiles(handle: ElementHandle<Element>, paths: string[]): Promise<void> {
    try {
      await (handle as ElementHandle<HTMLInputElement>).uploadFile(...paths);
    } catch (error) {
      // Firefox's input.setFiles takes files only: a folder for <input webkitdirectory> fails.
      if (/is directory|FILE_IS_DIRECTORY/i.test((error as Error).message)) {
        throw new EngineCannot(`${this.engine.label}: WebDriver BiDi's input.setFiles cannot choose a folder`);
      }
      throw error;
    }
  }
}

export async function launchFirefoxEngine(): Promise<Engine> {
  const executablePath = findFirefox();
  const browser: Browser = await puppeteer.launch({ browser: 'firefox', executablePath, headless: true });
  // "firefox/153.8.0"
  const version = (await browser.version()).split('/').pop() ?? '';
  const engine: Engine = {
    name: 'firefox',
    label: `Firefox${/esr/i.test(executablePath) ? ' ESR' : ''} ${version}`,
    version,
    can: { offline: true, consoleErrors: true, networkLog: true },
    async open(url) {
      // A user context per page: its own cookies, storage and IndexedDB, like a fresh profile.
      const context = await browser.createBrowserContext();
      const page = new FirefoxPage(engine, context, await context.newPage());
      await page.goto(url);
      return page;
    },
    close: () => browser.close(),
  };
  return engine;
}
