/**
 * WebKitGTK, Safari's engine, through selenium-webdriver and Debian's WebKitWebDriver, which
 * starts MiniBrowser in automation mode. MiniBrowser has no headless mode in this version, so
 * it draws on a private Xvfb display. The driver's path is given explicitly, so selenium-manager
 * never runs (it would try to download a driver).
 *
 * Classic WebDriver has no network control, console log or init scripts: `can` says so, and
 * the page's requests are read from Resource Timing instead.
 */
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Builder, Capabilities, Key, type WebDriver, type WebElement } from 'selenium-webdriver';
import { EngineCannot, type Engine, type EngineAvailability } from '../e2e-driver';
import { startXvfb, type VirtualDisplay } from '../xvfb';
import { BasePage } from './base-page';
import type { WireTarget } from './find-in-page';

const FIX = 'Fix: apt-get install webkit2gtk-driver xvfb';

/** selenium-webdriver/remote is CommonJS with a folder index, which ESM cannot import by that name. */
const remote = createRequire(import.meta.url)('selenium-webdriver/remote') as typeof import('selenium-webdriver/remote');

/** MiniBrowser lives in the multiarch folder of libwebkit2gtk (Debian, Ubuntu) or libexec (Fedora). */
function miniBrowserCandidates(): string[] {
  const multiarch = existsSync('/usr/lib')
    ? readdirSync('/usr/lib')
        .filter((d) => d.endsWith('-linux-gnu'))
        .flatMap((d) => [`/usr/lib/${d}/webkit2gtk-4.1/MiniBrowser`, `/usr/lib/${d}/webkit2gtk-4.0/MiniBrowser`])
    : [];
  return [...multiarch, '/usr/libexec/webkit2gtk-4.1/MiniBrowser', '/usr/libexec/webkit2gtk-4.0/MiniBrowser'];
}

function which(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) if (dir && existsSync(`${dir}/${command}`)) return `${dir}/${command}`;
  return undefined;
}

export interface WebKitPaths {
  driver: string;
  miniBrowser: string;
  /** Absent when an existing DISPLAY is used instead. */
  xvfb?: string;
}

export function findWebKit(): WebKitPaths {
  for (const name of ['WEBKIT_WEBDRIVER', 'WEBKIT_MINIBROWSER']) {
    const fromEnv = process.env[name];
    if (fromEnv && !existsSync(fromEnv)) throw new Error(`${name}=${fromEnv} does not exist. ${FIX}`);
  }
  const driver = process.env.WEBKIT_WEBDRIVER || which('WebKitWebDriver');
  const miniBrowser = process.env.WEBKIT_MINIBROWSER || miniBrowserCandidates().find((p) => existsSync(p));
  const xvfb = which('Xvfb');
  const missing = [!driver && 'WebKitWebDriver', !miniBrowser && 'MiniBrowser', !xvfb && !process.env.DISPLAY && 'Xvfb'].filter(Boolean);
  if (missing.length > 0 || !driver || !miniBrowser) throw new Error(`No WebKitGTK for the cross-engine tests (${missing.join(', ')} not found). ${FIX}`);
  return { driver, miniBrowser, xvfb };
}

export function webkitAvailability(): EngineAvailability {
  try {
    findWebKit();
    return { installed: true };
  } catch (error) {
    return { installed: false, missing: (error as Error).message };
  }
}

/** Playwright's key names to WebDriver's. */
const KEYS: Record<string, string> = {
  Enter: Key.ENTER,
  Escape: Key.ESCAPE,
  Tab: Key.TAB,
  Backspace: Key.BACK_SPACE,
  Delete: Key.DELETE,
  ArrowDown: Key.ARROW_DOWN,
  ArrowUp: Key.ARROW_UP,
  ArrowLeft: Key.ARROW_LEFT,
  ArrowRight: Key.ARROW_RIGHT,
  Home: Key.HOME,
  End: Key.END,
  Space: ' ',
};

class WebKitPage extends BasePage<WebElement> {
  constructor(
    engine: Engine,
    private readonly driver: WebDriver,
    private readonly end: () => Promise<void>,
  ) {
    super(engine);
  }

  async goto(url: string): Promise<void> {
    await this.driver.get(url);
  }
  async reload(): Promise<void> {
    await this.driver.navigate().refresh();
  }
  async url(): Promise<string> {
    return this.driver.getCurrentUrl();
  }
  async press(key: string): Promise<void> {
    const mapped = KEYS[key] ?? (key.length === 1 ? key : undefined);
    if (mapped === undefined) throw new Error(`No WebDriver key for "${key}"`);
    await this.driver.actions().sendKeys(mapped).perform();
  }
  async screenshot(path: string): Promise<void> {
    writeFileSync(path, await this.driver.takeScreenshot(), 'base64');
  }
  async requests(): Promise<string[]> {
    // Resource Timing: what this document fetched (not its workers' fetches, nor earlier documents').
    return this.run<string[]>('() => [location.href, ...performance.getEntriesByType("resource").map((e) => e.name)]', null);
  }
  async close(): Promise<void> {
    await this.end();
  }

  protected async run<R>(source: string, arg: unknown): Promise<R> {
    // WebDriver awaits a returned promise (Execute Script's "promise-calling").
    return (await this.driver.executeScript(`return (${source})(arguments[0]);`, arg)) as R;
  }
  protected async handle(source: string, target: WireTarget): Promise<WebElement | undefined> {
    const element = await this.run<WebElement | null>(source, { target, extra: null });
    return element ?? undefined;
  }
  protected async clickHandle(handle: WebElement): Promise<void> {
    await handle.click();
  }
  protected async typeInto(handle: WebElement, text: string): Promise<void> {
    await handle.sendKeys(text);
  }
  protected async setFiles(handle: WebElement, paths: string[]): Promise<void> {
    if (paths.some((p) => statSync(p).isDirectory())) {
      // Measured: WebKitWebDriver hands the page the folder itself, as one empty File.
      throw new EngineCannot(`${this.engine.label}: WebKitWebDriver cannot choose a folder (it sends the folder as one empty file)`);
    }
    // WebDriver's way to choose files: send their local paths, one per line, to the input. On
    // an <input multiple> WebDriver adds them to the files already chosen (the spec says
    // append), where a person's new choice replaces them: empty it first, without an event.
    await this.driver.executeScript('arguments[0].value = "";', handle);
    await handle.sendKeys(paths.join('\n'));
  }
}

export async function launchWebKitEngine(): Promise<Engine> {
  const paths = findWebKit();
  const screen: VirtualDisplay | undefined = paths.xvfb ? await startXvfb() : undefined;
  const display = screen?.display ?? process.env.DISPLAY!;
  const capabilities = new Capabilities().setBrowserName('MiniBrowser').set('webkitgtk:browserOptions', { binary: paths.miniBrowser, args: ['--automation'] });

  /** WebKitWebDriver holds one session at a time: each page gets its own driver process. */
  const sessions = new Set<() => Promise<void>>();
  const newSession = async (): Promise<{ driver: WebDriver; end: () => Promise<void> }> => {
    const service = new remote.DriverService.Builder(paths.driver)
      .setLoopback(true)
      .setEnvironment({ ...process.env, DISPLAY: display } as Record<string, string>)
      .build();
    const serverUrl = await service.start();
    let driver: WebDriver;
    try {
      driver = await new Builder().usingServer(serverUrl).withCapabilities(capabilities).build();
    } catch (error) {
      await service.kill();
      throw error;
    }
    const end = async () => {
      sessions.delete(end);
      await driver.quit().catch(() => {});
      await service.kill();
    };
    sessions.add(end);
    return { driver, end };
  };

  let version: string;
  try {
    // MiniBrowser reports WebKitGTK's version.
    const probe = await newSession();
    version = String((await probe.driver.getCapabilities()).getBrowserVersion() ?? 'unknown');
    await probe.end();
  } catch (error) {
    await screen?.stop();
    throw error;
  }

  const engine: Engine = {
    name: 'webkit',
    label: `WebKitGTK ${version}`,
    version,
    can: { offline: false, consoleErrors: false, networkLog: false },
    async open(url) {
      // A session per page: its own MiniBrowser and its own (ephemeral) website data.
      const { driver, end } = await newSession();
      const page = new WebKitPage(engine, driver, end);
      await page.goto(url);
      return page;
    },
    async close() {
      await Promise.allSettled([...sessions].map((end) => end()));
      await screen?.stop();
    },
  };
  return engine;
}
