/**
 * The app tells the truth at a glance, in real Chromium (issue 12 items 2 and 14):
 * - item 2: while a lock is online its card and page say "Online" and show no "Last seen" (a ticking
 *   age would drift away from the truth between heartbeats); once it drops off without saying
 *   goodbye they say "Offline", "Last seen … ago" and the bolt as the last known state.
 * - item 14: the manifest parses without errors and has an id, screenshots that are served at the
 *   sizes declared, shortcuts that open app pages, and theme and splash colours equal to the app's
 *   own; iPhone Safari gets an "Add to Home Screen" hint that desktop Chromium does not; axe clean.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedLock } from '../../src/simulator/simulated-lock.js';
import { signUp } from '../../src/test-support/graphql-client.js';
import { registerLock, startLock } from '../../src/test-support/locks.js';
import { seriousViolations } from './axe.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const PASSWORD = 'correct horse battery';
const IPHONE_UA =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const HINT = 'Install on iPhone or iPad';

const rig = useBrowserApp();
let sim: SimulatedLock | undefined;

beforeAll(async () => {
  if (!rig.browser) return;
  const app = rig.app;
  const alice = await signUp(app.httpUrl, 'alice', PASSWORD);
  const porch = await registerLock(app, alice.accessToken, 'truth-porch', 'Porch');
  // Heartbeats every 300 ms: with a ticking "Last seen" the shown age would have drifted by now.
  sim = await startLock(app, porch, { heartbeatMs: 300 });
}, 60_000);

afterAll(async () => {
  await sim?.stop({ graceful: true }).catch(() => undefined);
});

/** "#f5f7fb" as a computed style says it: "rgb(245, 247, 251)". */
function rgb(hex: string): string {
  const [r, g, b] = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
  return `rgb(${String(r)}, ${String(g)}, ${String(b)})`;
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(png: Buffer): string {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return `${String(png.readUInt32BE(16))}x${String(png.readUInt32BE(20))}`;
}

interface Manifest {
  id?: string;
  start_url?: string;
  theme_color?: string;
  background_color?: string;
  screenshots?: { src: string; sizes?: string; type?: string; form_factor?: string; label?: string }[];
  shortcuts?: { name: string; url: string; icons?: { src: string }[] }[];
}

/** The manifest as Chromium read it (DevTools protocol), with its parse errors and the app id it computed. */
async function appManifest(page: Page): Promise<{ url: string; errors: { message: string; critical: number }[]; manifest: Manifest; appId?: string }> {
  const cdp = await page.context().newCDPSession(page);
  try {
    const { url, errors, data } = (await cdp.send('Page.getAppManifest')) as { url: string; errors: { message: string; critical: number }[]; data?: string };
    const { appId } = (await cdp.send('Page.getAppId')) as { appId?: string };
    return { url, errors, manifest: JSON.parse(data ?? '{}') as Manifest, appId };
  } finally {
    await cdp.detach();
  }
}

describe('what the app says in Chromium', () => {
  it('item 2: an online lock shows "Online" and no "Last seen"; once it drops off, "Offline" and when it was last seen', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await rig.signIn(await rig.phone(), 'alice', PASSWORD);
    const card = page.getByRole('article', { name: 'Porch' });
    await card.getByText('Online', { exact: true }).waitFor({ timeout: TIMEOUT });
    await card.getByText('LOCKED', { exact: true }).waitFor({ timeout: TIMEOUT });
    // Several heartbeats later, still no age on the card.
    await page.waitForTimeout(1500);
    expect(await card.getByText(/Last seen|Never seen/).count()).toBe(0);
    expect(await card.getByText(/Last known/).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await card.getByRole('link', { name: 'Porch' }).click();
    await page.getByRole('heading', { level: 1, name: 'Porch' }).waitFor({ timeout: TIMEOUT });
    const state = page.getByRole('region', { name: 'State' });
    await state.getByText('Online', { exact: true }).waitFor({ timeout: TIMEOUT });
    expect(await page.getByText(/Last seen|Never seen/).count()).toBe(0);

    // The lock loses power: no goodbye, the broker's last will says it is gone.
    await sim?.stop({ graceful: false });
    sim = undefined;
    await state.getByText('Offline', { exact: true }).waitFor({ timeout: TIMEOUT });
    await state.getByText(/^Last seen /).waitFor({ timeout: TIMEOUT });
    await state.getByText('Last known: LOCKED', { exact: true }).waitFor({ timeout: TIMEOUT });

    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Locks', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
    await card.getByText('Offline', { exact: true }).waitFor({ timeout: TIMEOUT });
    await card.getByText(/^Last seen /).waitFor({ timeout: TIMEOUT });
    await card.getByText('Last known: LOCKED', { exact: true }).waitFor({ timeout: TIMEOUT });
    expect(await card.getByText('Online', { exact: true }).count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('item 14: the manifest has an id, served screenshots of the sizes declared, working shortcuts and the app\'s own colours', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await rig.signIn(await rig.phone({ colorScheme: 'light' }), 'alice', PASSWORD);
    const { url, errors, manifest, appId } = await appManifest(page);
    expect(url).toBe(`${rig.base}/manifest.webmanifest`);
    expect(errors).toEqual([]);

    // id: a stable identity, resolved against the origin.
    expect(manifest.id).toBe('/');
    expect(appId).toBe(`${rig.base}/`);

    // Screenshots: served, PNG, the size they say; at least one for phones.
    const screenshots = manifest.screenshots ?? [];
    expect(screenshots.length).toBeGreaterThan(0);
    expect(screenshots.some((s) => s.form_factor === 'narrow')).toBe(true);
    for (const shot of screenshots) {
      expect(shot.label, shot.src).toBeTruthy();
      const response = await page.request.get(new URL(shot.src, url).href);
      expect(response.status(), shot.src).toBe(200);
      expect(response.headers()['content-type'], shot.src).toContain(shot.type ?? 'image/png');
      if (shot.sizes) expect(pngSize(await response.body()), shot.src).toBe(shot.sizes);
    }

    // Shortcuts: each opens a page of the app (not the offline fallback or a 404), icons served.
    const shortcuts = manifest.shortcuts ?? [];
    expect(shortcuts.map((s) => s.name)).toEqual(['My locks', 'Add a lock']);
    const headings: Record<string, string> = { 'My locks': 'My locks', 'Add a lock': 'Add a lock' };
    for (const shortcut of shortcuts) {
      const response = await page.goto(new URL(shortcut.url, url).href);
      expect(response?.status(), shortcut.url).toBe(200);
      await page.getByRole('heading', { level: 1, name: headings[shortcut.name] }).waitFor({ timeout: TIMEOUT });
      for (const icon of shortcut.icons ?? []) expect((await page.request.get(new URL(icon.src, url).href)).status(), icon.src).toBe(200);
    }

    // Colours: the title bar is the header's surface (and the light theme-color meta), the splash the page's (the root's) background.
    await page.goto(`${rig.base}/`);
    await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
    const shown = await page.evaluate(() => ({
      header: getComputedStyle(document.querySelector('header.app-header') ?? document.body).backgroundColor,
      page: getComputedStyle(document.documentElement).backgroundColor,
      meta: document.querySelector<HTMLMetaElement>('meta[name="theme-color"][media="(prefers-color-scheme: light)"]')?.content,
    }));
    expect(manifest.theme_color).toBeTruthy();
    expect(manifest.background_color).toBeTruthy();
    expect(shown.meta).toBe(manifest.theme_color);
    expect(shown.header).toBe(rgb(manifest.theme_color ?? ''));
    expect(shown.page).toBe(rgb(manifest.background_color ?? ''));
    await page.context().close();
  }, 60_000);

  it('item 14: iPhone Safari is told how to add the app to the Home Screen, until "Got it"; desktop Chromium is not', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const iphone = await rig.phone({ userAgent: IPHONE_UA });
    await iphone.goto(`${rig.base}/`);
    const hint = iphone.getByRole('complementary', { name: HINT });
    await hint.waitFor({ timeout: TIMEOUT });
    await hint.getByText('Add to Home Screen', { exact: true }).waitFor({ timeout: TIMEOUT });
    expect(await seriousViolations(iphone)).toEqual([]);
    await hint.getByRole('button', { name: 'Got it' }).click();
    await hint.waitFor({ state: 'detached', timeout: TIMEOUT });
    await iphone.reload();
    await iphone.getByRole('heading', { level: 1 }).first().waitFor({ timeout: TIMEOUT });
    expect(await iphone.getByRole('complementary', { name: HINT }).count()).toBe(0);
    await iphone.context().close();

    const desktop = await rig.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const tab = await desktop.newPage();
    await rig.signIn(tab, 'alice', PASSWORD);
    await tab.waitForTimeout(300);
    expect(await tab.getByRole('complementary', { name: HINT }).count()).toBe(0);
    expect(await tab.getByText('Add to Home Screen').count()).toBe(0);
    await desktop.close();
  }, 60_000);
});
