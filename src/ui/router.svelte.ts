/**
 * The views a URL can name. `#/movie/858` opens The Godfather, `#/learn/3` the third step of
 * the pipeline walkthrough; anything unknown is home.
 */
export type Route = { view: 'home' } | { view: 'movie'; movieId: number } | { view: 'explore' } | { view: 'learn'; step: number } | { view: 'evaluate' };

export function parseHash(hash: string): Route {
  const movie = /^#\/movie\/(\d+)\/?$/.exec(hash);
  if (movie) return { view: 'movie', movieId: Number(movie[1]) };
  const learn = /^#\/learn(?:\/(\d+))?\/?$/.exec(hash);
  if (learn) return { view: 'learn', step: learn[1] ? Number(learn[1]) : 1 };
  if (/^#\/explore\/?$/.test(hash)) return { view: 'explore' };
  if (/^#\/evaluate\/?$/.test(hash)) return { view: 'evaluate' };
  return { view: 'home' };
}

export function movieHref(movieId: number): string {
  return `#/movie/${movieId}`;
}

export function learnHref(step: number): string {
  return `#/learn/${step}`;
}

/** Follows location.hash, so links, back/forward and reloads land on the same view. */
export class Router {
  route = $state<Route>(parseHash(location.hash));

  constructor() {
    addEventListener('hashchange', () => {
      this.route = parseHash(location.hash);
    });
  }

  go(hash: string): void {
    location.hash = hash;
  }
}
