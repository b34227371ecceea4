import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { defineConfig } from '@playwright/test';
import { scaled } from './e2e/timing';

/**
 * Browser tests against a running Duban server (started by an outer script —
 * no webServer here). Chromium comes from the OS (Debian package); Playwright
 * never downloads a browser.
 *
 *   DUBAN_BASE_URL   server URL (default http://127.0.0.1:5199)
 *   CHROMIUM_PATH    browser binary (default: `which chromium`, then /usr/bin/chromium)
 *   DUBAN_E2E_RESULTS_DIR  where this run keeps its sign-ins, screenshots, artifacts and e2e.json (default
 *                    test-results/): test.sh gives each lane its own, so lanes against different servers stay apart
 */
function chromiumPath(): string {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  try {
    const found = execFileSync('which', ['chromium'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (found && existsSync(found)) return found;
  } catch {
    // not on PATH
  }
  return '/usr/bin/chromium';
}

export const baseURL = (process.env.DUBAN_BASE_URL ?? 'http://127.0.0.1:5199').replace(/\/+$/, '');
const resultsDir = process.env.DUBAN_E2E_RESULTS_DIR ?? './test-results';

export default defineConfig({
  testDir: './e2e',
  // Keep Playwright's own artifacts in a sub-folder: it empties outputDir on
  // every run, and test-results/ also holds vitest.json, screenshots and .auth.
  outputDir: path.join(resultsDir, 'e2e-artifacts'),
  fullyParallel: false,
  workers: 1,
  forbidOnly: !!process.env.CI,
  retries: 0,
  // Stretched under test.sh's load (e2e/timing.ts).
  timeout: scaled(30_000),
  expect: { timeout: scaled(10_000) },
  reporter: [['list'], ['json', { outputFile: path.join(resultsDir, 'e2e.json') }]],
  use: {
    baseURL,
    browserName: 'chromium',
    headless: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    viewport: { width: 1366, height: 768 },
    // The header the web app's fetch client sends: the server refuses state-changing API calls without it
    // (docs/decisions/036). Browser contexts and API request contexts made in the specs inherit it.
    extraHTTPHeaders: { 'X-Requested-With': 'XMLHttpRequest' },
    launchOptions: {
      executablePath: chromiumPath(),
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    },
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
  },
  projects: [
    { name: 'setup', testMatch: /auth\.setup\.ts$/ },
    { name: 'chromium', testMatch: /\.spec\.ts$/, dependencies: ['setup'] },
  ],
});
