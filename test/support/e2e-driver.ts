/**
 * One way for an end-to-end test to drive a browser, whichever engine is underneath:
 *
 *   chromium  playwright-core over CDP, the system Chromium           (engines/chromium.ts)
 *   firefox   puppeteer-core over WebDriver BiDi, Firefox ESR          (engines/firefox.ts)
 *   webkit    selenium-webdriver over classic WebDriver, WebKitGTK's
 *             MiniBrowser through WebKitWebDriver, on a private Xvfb    (engines/webkit.ts)
 *
 * Elements are found inside the page by role and accessible name, label, text or CSS
 * (find-in-page.ts), the same code in all three; actions (click, typing, keys, files) go
 * through each engine's own automation protocol, so they are real input events there.
 * What a protocol cannot do is declared in `EngineCapabilities`, and the method throws
 * `EngineCannot`, so a test can say so and check the fallback instead.
 */
import type { Target, TextMatch } from './engines/find-in-page';

export type { Target, TextMatch } from './engines/find-in-page';

export type EngineName = 'chromium' | 'firefox' | 'webkit';

export const ENGINE_NAMES: readonly EngineName[] = ['chromium', 'firefox', 'webkit'];

/** What the engine's automation protocol lets a test do beyond the basics every engine has. */
export interface EngineCapabilities {
  /** `setOffline` cuts the page's network (CDP, BiDi); classic WebDriver has no such command. */
  offline: boolean;
  /** `errors()` sees uncaught exceptions and console errors from the first line of the page. */
  consoleErrors: boolean;
  /** `requests()` sees every request, workers' included; otherwise Resource Timing of the document. */
  networkLog: boolean;
}

export interface Engine {
  name: EngineName;
  /** "Firefox ESR 153.8.0", for test titles and the README table. */
  label: string;
  /** The browser's own version string. */
  version: string;
  can: EngineCapabilities;
  /** A new page in a fresh profile (its own IndexedDB, cache and storage). */
  open(url: string): Promise<EnginePage>;
  close(): Promise<void>;
}

export interface WaitOptions {
  /** Milliseconds; default 30 s. */
  timeout?: number;
}

/** A key as Playwright names it: 'Enter', 'Escape', 'Tab', 'ArrowDown', 'Backspace', or one character. */
export type KeyName = string;

export interface EnginePage {
  readonly engine: Engine;
  goto(url: string): Promise<void>;
  reload(): Promise<void>;
  url(): Promise<string>;

  /** Waits for the target to exist and returns how many match. */
  waitFor(target: Target, opts?: WaitOptions): Promise<void>;
  count(target: Target): Promise<number>;
  /** textContent of the first match (waits for it). */
  text(target: Target, opts?: WaitOptions): Promise<string>;
  /** textContent of every match, in document order (does not wait). */
  texts(target: Target): Promise<string[]>;
  isChecked(target: Target): Promise<boolean>;

  click(target: Target, opts?: WaitOptions): Promise<void>;
  /** Clicks a checkbox or radio unless it is checked already. */
  check(target: Target, opts?: WaitOptions): Promise<void>;
  /** Clears a text field and types `text` into it, key by key. */
  fill(target: Target, text: string, opts?: WaitOptions): Promise<void>;
  /** Presses a key in whatever has focus. */
  press(key: KeyName): Promise<void>;
  /** Sets the files of an <input type=file> to these paths on this machine. */
  setInputFiles(target: Target, paths: string[], opts?: WaitOptions): Promise<void>;

  /**
   * Runs `fn(arg)` in the page and returns its (awaited, JSON-like) result. `fn` is sent as
   * source text: it must not refer to anything outside itself.
   */
  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R>;
  screenshot(path: string): Promise<void>;
  /** Cuts or restores the page's network; throws EngineCannot where `can.offline` is false. */
  setOffline(offline: boolean): Promise<void>;

  /** Uncaught exceptions and console errors so far (always empty where `can.consoleErrors` is false). */
  errors(): string[];
  /** URLs the page asked for so far; where `can.networkLog` is false, the document's Resource Timing. */
  requests(): Promise<string[]>;
  close(): Promise<void>;
}

/** Thrown by a method the engine's protocol cannot carry out; the message says what is missing. */
export class EngineCannot extends Error {
  override name = 'EngineCannot';
}

/** Is the engine on this machine, and if not, the one line that installs it. */
export interface EngineAvailability {
  installed: boolean;
  /** e.g. "Firefox ESR not found. Fix: apt-get install firefox-esr (or set FIREFOX_PATH=/path/to/firefox)" */
  missing?: string;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeout` ms with `what`. */
export async function poll<T>(probe: () => Promise<T | undefined>, what: () => string, timeout = 30_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeout;
  let lastError: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      if (error instanceof EngineCannot) throw error;
      // A probe that throws mid-navigation (the document it ran in went away) is retried.
      lastError = error;
    }
    if (Date.now() > deadline) {
      const cause = lastError ? ` (last error: ${(lastError as Error).message?.split('\n')[0]})` : '';
      throw new Error(`Timed out after ${timeout} ms waiting for ${what()}${cause}`);
    }
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** Does `text` match, in the sense of find-in-page (substring, case-insensitive, or a RegExp)? */
export function textMatches(text: string, want: TextMatch): boolean {
  if (want instanceof RegExp) return want.test(text);
  const norm = (s: string) => s.replace(/\s+/g, ' ').trim().toLowerCase();
  return norm(text).includes(norm(want));
}

/** Which engine's support is where (loaded only when asked for, so a missing one costs nothing). */
export async function engineAvailability(name: EngineName): Promise<EngineAvailability> {
  switch (name) {
    case 'chromium':
      return (await import('./engines/chromium')).chromiumAvailability();
    case 'firefox':
      return (await import('./engines/firefox')).firefoxAvailability();
    case 'webkit':
      return (await import('./engines/webkit')).webkitAvailability();
  }
}

export async function launchEngine(name: EngineName): Promise<Engine> {
  switch (name) {
    case 'chromium':
      return (await import('./engines/chromium')).launchChromiumEngine();
    case 'firefox':
      return (await import('./engines/firefox')).launchFirefoxEngine();
    case 'webkit':
      return (await import('./engines/webkit')).launchWebKitEngine();
  }
}
