// The core user paths in every engine: Chromium (playwright-core, CDP), Firefox ESR
// (puppeteer-core, WebDriver BiDi) and WebKitGTK (selenium-webdriver, WebDriver, on Xvfb).
// One engine alone: npx vitest run --project engines -t firefox
import { ENGINE_NAMES } from '../../support/e2e-driver';
import { coreUserPaths } from './core-paths';

for (const name of ENGINE_NAMES) coreUserPaths(name);
