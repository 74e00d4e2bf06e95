/** The views a URL can name. `#/movie/858` opens The Godfather; anything else is home. */
export type Route = { view: 'home' } | { view: 'movie'; movieId: number };

export function parseHash(hash: string): Route {
  const m = /^#\/movie\/(\d+)\/?$/.exec(hash);
  return m ? { view: 'movie', movieId: Number(m[1]) } : { view: 'home' };
}

export function movieHref(movieId: number): string {
  return `#/movie/${movieId}`;
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
