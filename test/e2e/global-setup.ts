import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { build, preview } from 'vite';
import type { TestProject } from 'vitest/node';
import { findChromium } from '../support/chromium';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built app, served by `vite preview` on 127.0.0.1 with cross-origin isolation. */
    appUrl: string;
    /** The built app's folder, for tests that serve it their own way (no headers, nginx). */
    distDir: string;
  }
}

/**
 * Builds the app once into a temporary folder and serves it on loopback for every e2e file.
 * Testing the production build matters: the CSP, relative asset paths and worker bundling only
 * exist there.
 */
export default async function setup(project: TestProject) {
  findChromium(); // fail first, with the one-line fix, when there is no browser
  const outDir = mkdtempSync(join(tmpdir(), 'latentlens-e2e-'));
  await build({ logLevel: 'warn', build: { outDir, emptyOutDir: true } });
  const server = await preview({
    logLevel: 'warn',
    build: { outDir },
    preview: { host: '127.0.0.1', port: 0, strictPort: false, open: false },
  });
  const address = server.httpServer.address() as AddressInfo;
  project.provide('appUrl', `http://127.0.0.1:${address.port}/`);
  project.provide('distDir', outDir);
  return async () => {
    await server.close();
    rmSync(outDir, { recursive: true, force: true });
  };
}
