/**
 * The service worker's life as the page sees it: registered once, "Update available" when a new
 * version is waiting, and the reload only when the person agrees (a build in progress would be
 * lost otherwise). vite-plugin-pwa's registerSW (workbox-window) does the messaging; in the dev
 * server it is a no-op.
 */
import { registerSW } from 'virtual:pwa-register';

export class AppUpdate {
  /** A new version is installed and waiting. */
  available = $state(false);
  /** The app shell and sample are cached: the app now opens offline. */
  offlineReady = $state(false);
  private updateSW: ((reloadPage?: boolean) => Promise<void>) | undefined;

  start(): void {
    if (!('serviceWorker' in navigator)) return;
    this.updateSW = registerSW({
      immediate: true,
      onNeedRefresh: () => (this.available = true),
      onNeedReload: () => this.reload(),
      onOfflineReady: () => (this.offlineReady = true),
      onRegisterError: (error: unknown) => console.warn('LatentLens: the offline app could not be installed', error),
    });
  }

  /**
   * Activates the waiting version and reloads into it. workbox-window reloads on its
   * "controlling" event only for an update it saw start itself; one found by the browser's own
   * check (another tab, a navigation) would leave the page on the old version, so the page also
   * reloads on the controller change.
   */
  async apply(): Promise<void> {
    navigator.serviceWorker.addEventListener('controllerchange', () => this.reload(), { once: true });
    await this.updateSW?.(true);
  }

  private reloading = false;
  private reload(): void {
    if (this.reloading) return;
    this.reloading = true;
    location.reload();
  }

  dismiss(): void {
    this.available = false;
  }
}
