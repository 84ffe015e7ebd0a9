/**
 * The shared rig of the Chromium e2e files: one browser and one api (serving the built PWA) per
 * file, started in a beforeAll and closed in an afterAll that this registers itself, and the
 * sign-in every file needs. Call it at the top of the file, before the file's own hooks: vitest
 * runs beforeAll hooks in order and afterAll hooks in reverse, so a file's own setup sees the app
 * started and its own teardown (stopping simulated locks) runs before the app closes.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import { apiRoot } from '../../src/app/paths.js';
import type { Env } from '../../src/config/config.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';
import { launchChromium, PHONE } from './browser.js';

/**
 * Where a screenshot for the docs goes: docs/screenshots/<name> with UPDATE_SCREENSHOTS=1
 * (README, "Tests"), else a temporary directory. Every run takes them (a page that cannot render
 * fails), but only a deliberate run rewrites the committed images: ports, times and ids differ
 * from run to run, so an ordinary `npm test` would leave the work tree changed.
 */
export function screenshotPath(name: string): string {
  if (process.env.UPDATE_SCREENSHOTS === '1') return join(apiRoot(), '..', 'docs', 'screenshots', name);
  screenshotDir ??= mkdtempSync(join(tmpdir(), 'smartlock-screenshots-'));
  return join(screenshotDir, name);
}
let screenshotDir: string | undefined;

/** How long a step may take before an e2e fails. */
export const TIMEOUT = 15_000;

export interface BrowserApp {
  /** Null when no Chromium is installed (outside CI): each test then skips with `skipReason`. */
  readonly browser: Browser | null;
  readonly skipReason: string;
  /** Throws when read without a browser (the app is not started then). */
  readonly app: TestApp;
  /** `http://127.0.0.1:<port>`, the app's origin. */
  readonly base: string;
  /** A page in a new phone-sized context (PHONE, overridden by `options`), closed with the browser. */
  phone(options?: BrowserContextOptions): Promise<Page>;
  /**
   * Signs `username` in and waits for "My locks". Given a context, opens a new tab in it; given a
   * page, uses it. A context that already has a session lands on "My locks" without the form.
   */
  signIn(target: BrowserContext | Page, username: string, password: string): Promise<Page>;
}

function isPage(target: BrowserContext | Page): target is Page {
  return typeof (target as Page).goto === 'function';
}

/** Registers the file's beforeAll/afterAll: Chromium launched, then the api started with `env`. */
export function useBrowserApp(env: Env = {}): BrowserApp {
  let browser: Browser | null = null;
  let skipReason = 'no browser';
  let app: TestApp | undefined;

  beforeAll(async () => {
    const launched = await launchChromium();
    browser = launched.browser;
    if (launched.reason) skipReason = launched.reason;
    if (!browser) return;
    app = await startTestApp(env);
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const started = (): TestApp => {
    if (!app) throw new Error('the app is not started (no browser, or read before beforeAll)');
    return app;
  };

  return {
    get browser() {
      return browser;
    },
    get skipReason() {
      return skipReason;
    },
    get app() {
      return started();
    },
    get base() {
      return `http://127.0.0.1:${started().port}`;
    },
    async phone(options = {}) {
      if (!browser) throw new Error(skipReason);
      const context = await browser.newContext({ ...PHONE, ...options });
      return context.newPage();
    },
    async signIn(target, username, password) {
      const page = isPage(target) ? target : await target.newPage();
      await page.goto(`http://127.0.0.1:${started().port}/`);
      const myLocks = page.getByRole('heading', { level: 1, name: 'My locks' });
      const usernameField = page.getByLabel('Username');
      await myLocks.or(usernameField).first().waitFor({ timeout: TIMEOUT });
      if (await usernameField.isVisible()) {
        await usernameField.fill(username);
        await page.getByLabel('Password').fill(password);
        await page.getByRole('button', { name: 'Sign in' }).click();
      }
      await myLocks.waitFor({ timeout: TIMEOUT });
      return page;
    },
  };
}
