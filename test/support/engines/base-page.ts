/**
 * What the three engines' pages share: waiting, and the in-page queries built on findAll. An
 * engine adds how to run a function in its page and how to act on the element a target finds.
 */
import { EngineCannot, poll, type Engine, type EnginePage, type KeyName, type WaitOptions } from '../e2e-driver';
import { describeTarget, findAll, toWire, type Target, type WireTarget } from './find-in-page';

const DEFAULT_TIMEOUT_MS = 30_000;

/**
 * Makes a function in Node from source text, so a driver that serialises functions (Playwright,
 * Puppeteer) can take a query composed here. The source is ours, never the page's.
 */
export function functionFrom<A, R>(source: string): (arg: A) => R {
  return new Function(`return (${source});`)() as (arg: A) => R;
}

/**
 * A function's source made safe to send: esbuild's keepNames (tsx, some runners) rewrites named
 * functions as `__name(fn, "fn")`, a helper that exists in Node but not in the page.
 */
export function selfContained(source: string): string {
  return `(arg) => { const __name = (fn) => fn; return (${source})(arg); }`;
}

/**
 * `(arg) => op(findAll(arg.target), arg.extra)` as source text, with findAll inlined: the page
 * gets one self-contained function however the test runner transformed this file.
 */
export function querySource(op: string): string {
  return selfContained(`(arg) => { const findAll = ${findAll.toString()}; return (${op})(findAll(arg.target), arg.extra); }`);
}

/** In-page reads over the matches of a target. */
const OPS = {
  count: '(els) => els.length',
  texts: '(els) => els.map((e) => e.textContent ?? "")',
  checked: '(els) => els.length === 0 ? null : !!els[0].checked',
  first: '(els) => els[0] ?? null',
  /** The first match if it can take input now (not disabled, itself or through a fieldset), else null. */
  enabled: '(els) => (els[0] && !els[0].matches(":disabled") ? els[0] : null)',
  /** Empties a text field the way select-all + Delete would, so typing starts from nothing. */
  clear: '(els) => { const e = els[0]; if (!e) return false; e.focus(); e.value = ""; e.dispatchEvent(new Event("input", { bubbles: true })); return true; }',
};

export abstract class BasePage<Handle> implements EnginePage {
  protected readonly pageErrors: string[] = [];

  constructor(readonly engine: Engine) {}

  abstract goto(url: string): Promise<void>;
  abstract reload(): Promise<void>;
  abstract url(): Promise<string>;
  abstract press(key: KeyName): Promise<void>;
  abstract screenshot(path: string): Promise<void>;
  abstract close(): Promise<void>;
  abstract requests(): Promise<string[]>;

  /** Runs a function (given as source text) in the page with one JSON-like argument. */
  protected abstract run<R>(source: string, arg: unknown): Promise<R>;
  /** The element `source` (FIRST or ENABLED) returns for the target, as the driver's handle, or undefined. */
  protected abstract handle(source: string, target: WireTarget): Promise<Handle | undefined>;
  protected abstract clickHandle(handle: Handle): Promise<void>;
  protected abstract typeInto(handle: Handle, text: string): Promise<void>;
  protected abstract setFiles(handle: Handle, paths: string[]): Promise<void>;

  async setOffline(_offline: boolean): Promise<void> {
    throw new EngineCannot(`${this.engine.label}: its automation protocol cannot take the page offline`);
  }

  errors(): string[] {
    return [...this.pageErrors];
  }

  evaluate<R, A = undefined>(fn: (arg: A) => R | Promise<R>, arg?: A): Promise<R> {
    return this.run<R>(selfContained(fn.toString()), arg ?? null);
  }

  private query<R>(op: keyof typeof OPS, target: Target): Promise<R> {
    return this.run<R>(querySource(OPS[op]), { target: toWire(target), extra: null });
  }

  async waitFor(target: Target, opts: WaitOptions = {}): Promise<void> {
    await this.found(target, opts);
  }

  async count(target: Target): Promise<number> {
    return this.query<number>('count', target);
  }

  async text(target: Target, opts: WaitOptions = {}): Promise<string> {
    return poll(
      async () => (await this.query<string[]>('texts', target))[0],
      () => describeTarget(target),
      opts.timeout ?? DEFAULT_TIMEOUT_MS,
    );
  }

  async texts(target: Target): Promise<string[]> {
    return this.query<string[]>('texts', target);
  }

  async isChecked(target: Target): Promise<boolean> {
    const checked = await this.query<boolean | null>('checked', target);
    if (checked === null) throw new Error(`No element for ${describeTarget(target)}`);
    return checked;
  }

  async click(target: Target, opts: WaitOptions = {}): Promise<void> {
    await this.clickHandle(await this.found(target, opts, 'enabled'));
  }

  async check(target: Target, opts: WaitOptions = {}): Promise<void> {
    const handle = await this.found(target, opts, 'enabled');
    if (!(await this.isChecked(target))) await this.clickHandle(handle);
    await poll(
      async () => ((await this.isChecked(target)) ? true : undefined),
      () => `${describeTarget(target)} to be checked`,
      5_000,
    );
  }

  async fill(target: Target, text: string, opts: WaitOptions = {}): Promise<void> {
    const handle = await this.found(target, opts, 'enabled');
    await this.query<boolean>('clear', target);
    await this.typeInto(handle, text);
  }

  async setInputFiles(target: Target, paths: string[], opts: WaitOptions = {}): Promise<void> {
    // A disabled input (the app disables its pickers while it builds or saves) takes no files.
    await this.setFiles(await this.found(target, opts, 'enabled'), paths);
  }

  /** Waits until the target finds an element (an enabled one, for actions) and returns it as a handle. */
  protected found(target: Target, opts: WaitOptions, state: 'attached' | 'enabled' = 'attached'): Promise<Handle> {
    const wire = toWire(target);
    const source = state === 'enabled' ? BasePage.ENABLED : BasePage.FIRST;
    return poll(
      () => this.handle(source, wire),
      () => `${describeTarget(target)}${state === 'enabled' ? ' (enabled)' : ''}`,
      opts.timeout ?? DEFAULT_TIMEOUT_MS,
    );
  }

  /** Sources of the queries that return the first element a target finds (for `handle`). */
  protected static readonly FIRST = querySource(OPS.first);
  protected static readonly ENABLED = querySource(OPS.enabled);
}
