/** The system Chromium through playwright-core (CDP), as the Chromium-only e2e files drive it. */
import type { BrowserContext, ElementHandle, Page } from 'playwright-core';
import { findChromium, launchChromium } from '../chromium';
import type { Engine, EngineAvailability } from '../e2e-driver';
import { BasePage, functionFrom } from './base-page';
import type { WireTarget } from './find-in-page';

export function chromiumAvailability(): EngineAvailability {
  try {
    findChromium();
    return { installed: true };
  } catch (error) {
    return { installed: false, missing: (error as Error).message };
  }
}

class ChromiumPage extends BasePage<ElementHandle> {
  private readonly urls: string[] = [];

  constructor(
    engine: Engine,
    private readonly context: BrowserContext,
    private readonly page: Page,
  ) {
    super(engine);
    page.on('request', (request) => this.urls.push(request.url()));
    page.on('pageerror', (error) => this.pageErrors.push(error.message));
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
    await this.page.keyboard.press(key);
  }
  async screenshot(path: string): Promise<void> {
    await this.page.screenshot({ path });
  }
  override async setOffline(offline: boolean): Promise<void> {
    await this.context.setOffline(offline);
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
  protected async handle(source: string, target: WireTarget): Promise<ElementHandle | undefined> {
    const handle = await this.page.evaluateHandle(functionFrom(source), { target, extra: null });
    const element = handle.asElement();
    if (!element) await handle.dispose();
    return element ?? undefined;
  }
  protected async clickHandle(handle: ElementHandle): Promise<void> {
    await handle.click();
  }
  protected async typeInto(handle: ElementHandle, text: string): Promise<void> {
    await handle.focus();
    await this.page.keyboard.type(text);
  }
  protected async setFiles(handle: ElementHandle, paths: string[]): Promise<void> {
    await handle.setInputFiles(paths);
  }
}

export async function launchChromiumEngine(): Promise<Engine> {
  const browser = await launchChromium();
  const version = browser.version();
  const engine: Engine = {
    name: 'chromium',
    label: `Chromium ${version}`,
    version,
    can: { offline: true, consoleErrors: true, networkLog: true },
    async open(url) {
      const context = await browser.newContext();
      const page = new ChromiumPage(engine, context, await context.newPage());
      await page.goto(url);
      return page;
    },
    close: () => browser.close(),
  };
  return engine;
}
