/// <reference types="vitest/config" />
import { defineConfig, type Plugin } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { VitePWA } from 'vite-plugin-pwa';

/**
 * The Content-Security-Policy of the built page. It is added at build time only, because Vite's
 * dev server injects inline <style> and client scripts that a strict policy would block.
 * connect-src 'self' lets the page fetch the bundled sample (same origin) and nothing else;
 * workers come from our own origin (or blob: for bundler-made workers).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "img-src 'self' data: blob:",
  "style-src 'self'",
  "font-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

function contentSecurityPolicy(): Plugin {
  return {
    name: 'latentlens-csp',
    apply: 'build',
    transformIndexHtml(html) {
      return html.replace(
        '<meta charset="UTF-8" />',
        `<meta charset="UTF-8" />\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}" />`,
      );
    },
  };
}

/**
 * Cross-origin isolation lets the page use SharedArrayBuffer between workers. GitHub Pages
 * cannot send these headers, so the code falls back to transferring copies there.
 */
const isolationHeaders = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Installable and offline: a Workbox service worker (src/platform/service-worker.ts) precaches the
 * app shell, the workers and the bundled sample, and adds COOP/COEP to what it serves. It is
 * registered from main.ts (not an inline script, which the CSP refuses) and only in builds.
 */
function offlineApp() {
  return VitePWA({
    strategies: 'injectManifest',
    srcDir: 'src/platform',
    filename: 'service-worker.ts',
    injectRegister: false,
    registerType: 'prompt',
    manifest: {
      name: 'LatentLens — movie recommendations in your browser',
      short_name: 'LatentLens',
      description: 'Explore MovieLens ratings and get movie recommendations, computed entirely on your machine.',
      start_url: './',
      scope: './',
      display: 'standalone',
      theme_color: '#1d3557',
      background_color: '#ffffff',
      icons: [
        { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
        { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
        { src: 'icons/icon-maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
      ],
    },
    injectManifest: {
      globPatterns: ['**/*.{js,css,html,svg,png,woff2,csv,txt,webmanifest}'],
      // README screenshots are for GitHub, not the app.
      globIgnores: ['docs/**'],
      // The sample's ratings.csv is 2.4 MB; everything offline needs must fit.
      maximumFileSizeToCacheInBytes: 8 * 1024 * 1024,
    },
  });
}

export default defineConfig({
  // Relative asset paths: the built dist/ works from any sub-path (GitHub Pages serves /<repo>/).
  base: './',
  plugins: [svelte(), contentSecurityPolicy(), offlineApp()],
  worker: { format: 'es' },
  // Pre-bundle what the lazily loaded views and the workers import, so the dev server does not
  // discover them mid-session and reload the page.
  optimizeDeps: { include: ['@observablehq/plot', 'umap-js', 'fflate', 'comlink', 'idb-keyval', 'papaparse', '@leeoniya/ufuzzy'] },
  server: { headers: isolationHeaders },
  preview: { headers: isolationHeaders },
  build: { target: 'es2022', sourcemap: true },
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/property/**/*.test.ts'],
          environment: 'node',
          testTimeout: 60_000,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          // The cross-engine suite is its own project (below), so one engine can be run alone.
          exclude: ['test/e2e/engines/**'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          // One browser at a time: the machines have two cores.
          fileParallelism: false,
        },
      },
      {
        // The core user paths in Chromium, Firefox ESR and WebKitGTK, each engine that is
        // installed (a missing one is skipped with the line that installs it): part of
        // `npm test`, or alone with `npm run test:engines`.
        test: {
          name: 'engines',
          include: ['test/e2e/engines/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['test/e2e/global-setup.ts'],
          testTimeout: 120_000,
          hookTimeout: 180_000,
          fileParallelism: false,
          // After the e2e files, never beside them: one browser at a time on two cores.
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
