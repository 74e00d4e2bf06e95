/**
 * The service worker: the app opens offline after one visit, and static hosts that cannot send
 * headers (GitHub Pages) still get cross-origin isolation.
 *
 * - Precache: vite-plugin-pwa injects the build's file list (app shell, workers, the bundled
 *   sample) into self.__WB_MANIFEST; Workbox serves those from the cache and cleans old ones.
 * - Isolation: every response this worker hands to the page carries COOP/COEP (and CORP, so
 *   it may be embedded under COEP). A document served with them is crossOriginIsolated, so from
 *   the second visit on (once this worker controls the page) the workers share memory instead of
 *   copying the matrices. Everything the app loads is same-origin, so require-corp costs nothing.
 * - Updates: a new version waits until the page asks for it (the "Update available" prompt posts
 *   SKIP_WAITING), so a model being built is never interrupted by a reload.
 */
/// <reference lib="webworker" />
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute } from 'workbox-precaching';
import { NavigationRoute, registerRoute, setDefaultHandler } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';
import type { WorkboxPlugin } from 'workbox-core';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: Array<{ url: string; revision: string | null }> };

export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

/** A copy of the response with the isolation headers set; opaque responses cannot be changed. */
function isolated(response: Response): Response {
  if (response.type === 'opaque' || response.type === 'opaqueredirect' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const isolation: WorkboxPlugin = {
  handlerWillRespond: async ({ response }) => isolated(response),
};

addPlugins([isolation]);
cleanupOutdatedCaches();
// The sample's CSV files are fetched with a cache-busting-free URL; query strings (e.g. the
// e2e tests' flags) must not miss the precache.
precacheAndRoute(self.__WB_MANIFEST, { ignoreURLParametersMatching: [/.*/] });
// Any navigation inside the app's scope is the single page: hash routes never reach the server.
registerRoute(new NavigationRoute(createHandlerBoundToURL('index.html')));
// Whatever is not precached (nothing in a normal build) still goes to the network, isolated.
setDefaultHandler(new NetworkOnly({ plugins: [isolation] }));

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
