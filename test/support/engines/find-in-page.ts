/**
 * Finding elements as a person names them (role and accessible name, label, visible text),
 * computed inside the page, so that Chromium, Firefox and WebKit answer the same question the
 * same way. Playwright and Puppeteer have their own role queries and classic WebDriver has none;
 * one resolver for all three means a test that fails in one engine fails because of the engine,
 * not because the three drivers read ARIA differently.
 *
 * `findAll` is sent to the page as source text (each driver's evaluate/executeScript), so it
 * must not refer to anything outside itself, and it runs where the page's CSP forbids eval: it
 * only walks the DOM.
 */

/** A text to match: a substring (case-insensitive, whitespace collapsed) or a regular expression. */
export type TextMatch = string | RegExp;

/** What to look for, in the words of getByRole / getByLabel / getByText. */
export type Target = ({ role: string; name?: TextMatch; level?: number } | { label: TextMatch } | { text: TextMatch } | { css: string }) & {
  /** Whole-string, case-sensitive match of `name`, `label` or `text` instead of a substring. */
  exact?: boolean;
  /** Only elements whose textContent contains this. */
  hasText?: TextMatch;
  /** Only elements whose textContent does not contain this. */
  hasNotText?: TextMatch;
  /** Search inside the first element this finds. */
  within?: Target;
};

/** A Target with its regular expressions as plain data, so it survives the trip into the page. */
export type WireTarget = Record<string, unknown>;

export function toWire(target: Target): WireTarget {
  const out: WireTarget = {};
  for (const [key, value] of Object.entries(target)) {
    if (value instanceof RegExp) out[key] = { source: value.source, flags: value.flags };
    else if (key === 'within' && value) out[key] = toWire(value as Target);
    else out[key] = value;
  }
  return out;
}

/** A readable form of a target, for timeouts and failures: `role=list name="Similar movies"`. */
export function describeTarget(target: Target): string {
  const show = (m: TextMatch | undefined) => (m instanceof RegExp ? String(m) : JSON.stringify(m));
  const parts: string[] = [];
  if ('role' in target) parts.push(`role=${target.role}`, ...(target.name !== undefined ? [`name=${show(target.name)}`] : []));
  if ('label' in target) parts.push(`label=${show(target.label)}`);
  if ('text' in target) parts.push(`text=${show(target.text)}`);
  if ('css' in target) parts.push(`css=${target.css}`);
  if ('role' in target && target.level !== undefined) parts.push(`level=${target.level}`);
  if (target.hasText !== undefined) parts.push(`hasText=${show(target.hasText)}`);
  if (target.hasNotText !== undefined) parts.push(`hasNotText=${show(target.hasNotText)}`);
  const self = parts.join(' ');
  return target.within ? `${describeTarget(target.within)} >> ${self}` : self;
}

/**
 * Every element in the document matching `target`, in document order. Runs in the page.
 * Roles: the explicit role attribute, else the implicit role of the HTML elements this app
 * uses (HTML-AAM). Names: a reduced accessible-name computation (aria-labelledby, aria-label,
 * <label>, <legend>, alt, then content for roles named from content, then title), skipping
 * aria-hidden and hidden subtrees, as screen readers do.
 */
export function findAll(target: WireTarget): Element[] {
  type Wire = { [key: string]: unknown };
  const norm = (s: string | null | undefined): string => (s ?? '').replace(/\s+/g, ' ').trim();
  const matches = (actual: string, want: unknown, exact: boolean): boolean => {
    if (want && typeof want === 'object' && 'source' in want) {
      const re = want as { source: string; flags: string };
      return new RegExp(re.source, re.flags).test(actual);
    }
    const text = norm(String(want));
    return exact ? norm(actual) === text : norm(actual).toLowerCase().includes(text.toLowerCase());
  };

  const hidden = (el: Element): boolean => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      if (e.getAttribute('aria-hidden') === 'true' || (e as HTMLElement).hidden) return true;
    }
    const style = getComputedStyle(el);
    if (style.visibility === 'hidden' || style.visibility === 'collapse') return true;
    // display:none anywhere above leaves no box; a closed <details> hides its content the same way.
    for (let e: Element | null = el; e; e = e.parentElement) {
      if (getComputedStyle(e).display === 'none') return true;
      const parent = e.parentElement;
      if (parent?.tagName === 'DETAILS' && !(parent as HTMLDetailsElement).open && e.tagName !== 'SUMMARY') return true;
    }
    return false;
  };

  const implicitRole = (el: Element): string => {
    const tag = el.tagName.toLowerCase();
    const named = !!(el.getAttribute('aria-label') || el.getAttribute('aria-labelledby'));
    switch (tag) {
      case 'a':
      case 'area':
        return el.hasAttribute('href') ? 'link' : '';
      case 'button':
        return 'button';
      case 'summary':
        return 'button';
      case 'input': {
        const type = (el.getAttribute('type') ?? 'text').toLowerCase();
        if (['button', 'submit', 'reset', 'image'].includes(type)) return 'button';
        if (type === 'checkbox') return 'checkbox';
        if (type === 'radio') return 'radio';
        if (type === 'range') return 'slider';
        if (type === 'number') return 'spinbutton';
        if (type === 'search') return el.hasAttribute('list') ? 'combobox' : 'searchbox';
        if (['text', 'email', 'tel', 'url', ''].includes(type)) return el.hasAttribute('list') ? 'combobox' : 'textbox';
        return '';
      }
      case 'textarea':
        return 'textbox';
      case 'select':
        return (el as HTMLSelectElement).multiple || (el as HTMLSelectElement).size > 1 ? 'listbox' : 'combobox';
      case 'option':
        return 'option';
      case 'h1':
      case 'h2':
      case 'h3':
      case 'h4':
      case 'h5':
      case 'h6':
        return 'heading';
      case 'ul':
      case 'ol':
      case 'menu':
        return 'list';
      case 'li':
        return 'listitem';
      case 'nav':
        return 'navigation';
      case 'main':
        return 'main';
      case 'article':
        return 'article';
      case 'aside':
        return 'complementary';
      case 'section':
        return named ? 'region' : '';
      case 'form':
        return named ? 'form' : '';
      case 'fieldset':
      case 'details':
      case 'optgroup':
        return 'group';
      case 'output':
        return 'status';
      case 'dialog':
        return 'dialog';
      case 'table':
        return 'table';
      case 'tr':
        return 'row';
      case 'td':
        return 'cell';
      case 'th':
        return 'columnheader';
      case 'img':
        return el.getAttribute('alt') === '' ? 'presentation' : 'img';
      case 'hr':
        return 'separator';
      case 'progress':
        return 'progressbar';
      case 'meter':
        return 'meter';
      case 'p':
        return 'paragraph';
      case 'figure':
        return 'figure';
      case 'dt':
        return 'term';
      case 'dd':
        return 'definition';
      case 'header':
        return el.closest('article,aside,main,nav,section') ? '' : 'banner';
      case 'footer':
        return el.closest('article,aside,main,nav,section') ? '' : 'contentinfo';
      default:
        return '';
    }
  };
  const roleOf = (el: Element): string => (el.getAttribute('role') ?? '').trim().split(/\s+/)[0] || implicitRole(el);

  /** Text of a subtree as accessible-name-from-content: aria-hidden and hidden parts left out. */
  const contentText = (node: Node): string => {
    if (node.nodeType === Node.TEXT_NODE) return node.textContent ?? '';
    if (node.nodeType !== Node.ELEMENT_NODE) return '';
    const el = node as Element;
    if (el.getAttribute('aria-hidden') === 'true' || (el as HTMLElement).hidden) return '';
    if (el instanceof HTMLElement && el !== node.ownerDocument?.body && getComputedStyle(el).display === 'none') return '';
    if (el.tagName === 'IMG') return el.getAttribute('alt') ?? '';
    const label = el.getAttribute('aria-label');
    if (label) return ` ${label} `;
    let out = '';
    for (const child of el.childNodes) out += contentText(child);
    const display = el instanceof HTMLElement ? getComputedStyle(el).display : 'inline';
    return display === 'inline' ? out : ` ${out} `;
  };
  const NAME_FROM_CONTENT = new Set([
    'button',
    'link',
    'heading',
    'checkbox',
    'radio',
    'option',
    'cell',
    'columnheader',
    'row',
    'tab',
    'menuitem',
    'treeitem',
    'switch',
    'tooltip',
  ]);

  const nameOf = (el: Element): string => {
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy) {
      const text = labelledBy
        .split(/\s+/)
        .map((id) => document.getElementById(id))
        .filter((e): e is HTMLElement => !!e)
        .map((e) => norm(contentText(e)) || norm(e.textContent))
        .join(' ');
      if (norm(text)) return norm(text);
    }
    const ariaLabel = norm(el.getAttribute('aria-label'));
    if (ariaLabel) return ariaLabel;
    const labels = (el as HTMLInputElement).labels;
    if (labels && labels.length > 0) {
      const text = norm([...labels].map((l) => contentText(l)).join(' '));
      if (text) return text;
    }
    if (el.tagName === 'INPUT' && ['button', 'submit', 'reset'].includes((el as HTMLInputElement).type)) return norm((el as HTMLInputElement).value);
    if (el.tagName === 'IMG') return norm(el.getAttribute('alt'));
    if (el.tagName === 'FIELDSET') {
      const legend = el.querySelector(':scope > legend');
      if (legend) return norm(contentText(legend));
    }
    if (el.tagName === 'TABLE') {
      const caption = el.querySelector(':scope > caption');
      if (caption) return norm(contentText(caption));
    }
    if (NAME_FROM_CONTENT.has(roleOf(el))) {
      const text = norm(contentText(el));
      if (text) return text;
    }
    return norm(el.getAttribute('title') ?? el.getAttribute('placeholder'));
  };

  const labelsOf = (el: Element): string[] => {
    const out: string[] = [];
    const ariaLabel = el.getAttribute('aria-label');
    if (ariaLabel) out.push(ariaLabel);
    const labelledBy = el.getAttribute('aria-labelledby');
    if (labelledBy)
      out.push(
        labelledBy
          .split(/\s+/)
          .map((id) => document.getElementById(id)?.textContent ?? '')
          .join(' '),
      );
    for (const l of (el as HTMLInputElement).labels ?? []) out.push(contentText(l));
    return out;
  };

  const search = (t: Wire, root: ParentNode): Element[] => {
    const exact = t.exact === true;
    const all = t.css !== undefined ? [...root.querySelectorAll(String(t.css))] : [...root.querySelectorAll('*')];
    let found: Element[];
    if (t.role !== undefined) {
      found = all.filter((el) => roleOf(el) === t.role && !hidden(el));
      if (t.level !== undefined) found = found.filter((el) => Number((el.getAttribute('aria-level') ?? el.tagName.slice(1)) || 0) === t.level);
      if (t.name !== undefined) found = found.filter((el) => matches(nameOf(el), t.name, exact));
    } else if (t.label !== undefined) {
      found = all.filter((el) => labelsOf(el).some((text) => matches(text, t.label, exact)));
    } else if (t.text !== undefined) {
      // The innermost elements whose text matches, as getByText finds them.
      const hits = all.filter((el) => !['SCRIPT', 'STYLE', 'HEAD', 'TITLE', 'HTML'].includes(el.tagName) && matches(el.textContent ?? '', t.text, exact));
      const set = new Set(hits);
      found = hits.filter((el) => ![...el.children].some((c) => set.has(c)) && !hidden(el));
    } else {
      found = all;
    }
    if (t.hasText !== undefined) found = found.filter((el) => matches(el.textContent ?? '', t.hasText, false));
    if (t.hasNotText !== undefined) found = found.filter((el) => !matches(el.textContent ?? '', t.hasNotText, false));
    return found;
  };

  const resolve = (t: Wire): Element[] => {
    if (t.within) {
      const [parent] = resolve(t.within as Wire);
      return parent ? search(t, parent) : [];
    }
    return search(t, document);
  };
  return resolve(target);
}
