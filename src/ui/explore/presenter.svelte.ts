/**
 * Large-text mode for presenting on a projector: a class on <html> scales the root font size,
 * and every rem-sized thing grows with it. Kept across views (and reloads) in localStorage.
 */
const CLASS = 'presenter-mode';
const KEY = 'latentlens-presenter';

class Presenter {
  on = $state(readSaved());

  constructor() {
    this.apply();
  }

  toggle(): void {
    this.on = !this.on;
    this.apply();
    try {
      localStorage.setItem(KEY, this.on ? '1' : '0');
    } catch {
      // Storage refused (private mode): the mode still works for this visit.
    }
  }

  private apply(): void {
    if (typeof document !== 'undefined') document.documentElement.classList.toggle(CLASS, this.on);
  }
}

function readSaved(): boolean {
  try {
    return typeof localStorage !== 'undefined' && localStorage.getItem(KEY) === '1';
  } catch {
    return false;
  }
}

export const presenter = new Presenter();
