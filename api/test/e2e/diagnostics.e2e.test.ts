/**
 * Diagnostics in real Chromium (issue 12 item 13): a simulated lock reports battery, signal, uptime
 * and firmware; its page shows them in words and a 24 h / 7 d chart with offline stretches, at
 * 320 px and in dark mode, axe clean. An admin dashboard without events says "No data" and labels
 * its axes. A phone-sized screenshot goes to docs/screenshots/diagnostics.png (UPDATE_SCREENSHOTS=1).
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedLock } from '../../src/simulator/simulated-lock.js';
import { signUp } from '../../src/test-support/graphql-client.js';
import { registerLock, startLock, type Registered } from '../../src/test-support/locks.js';
import { eventually } from '../../src/test-support/subscriptions.js';
import { seriousViolations } from './axe.js';
import { screenshotPath, TIMEOUT, useBrowserApp } from './rig.js';

const ADMIN_PASSWORD = 'root password here';
const HOUR = 3_600_000;

const rig = useBrowserApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD, HEARTBEAT_FLUSH_MS: '50' });

let lock: Registered;
let sim: SimulatedLock | undefined;

async function signIn(username: string, password: string): Promise<Page> {
  return rig.signIn(await rig.phone(), username, password);
}

/** The page is no wider than the screen. */
async function fits(page: Page, width: number): Promise<void> {
  await page.setViewportSize({ width, height: 700 });
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);
}

beforeAll(async () => {
  const browser = rig.browser;
  if (!browser) return;
  const app = rig.app;
  const alice = await signUp(app.httpUrl, 'alice');
  lock = await registerLock(app, alice.accessToken, 'diag-door', 'Front door');
  // Earlier history: online three days ago, then offline for two hours (shown in the 7 d view only).
  const point = { deviceId: lock.deviceId, battery: 81, rssi: -58, uptime: 3600, boot: 1 };
  const now = Date.now();
  await app.services.store.diagnostics.append([
    { ...point, at: new Date(now - 72 * HOUR), online: true },
    { deviceId: lock.deviceId, at: new Date(now - 70 * HOUR), online: false, battery: null, rssi: null, uptime: null, boot: null },
    { ...point, at: new Date(now - 68 * HOUR), online: true, battery: 80 },
  ]);
  sim = await startLock(app, lock, { heartbeatMs: 200, battery: 77, rssi: -62, firmware: 'sim-3.2.1' });
  await eventually(async () => (await app.services.store.diagnostics.list(lock.deviceId, new Date(now - HOUR), 10)).length > 0, TIMEOUT);
}, 60_000);

afterAll(async () => {
  await sim?.stop({ graceful: true }).catch(() => undefined);
});

describe('lock diagnostics in Chromium', () => {
  it('shows battery, signal, uptime and firmware, and a chart with a 24 h / 7 d toggle', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await signIn('alice', 'correct horse battery');
    await page.getByRole('link', { name: 'Front door' }).first().click();
    const section = page.getByRole('region', { name: 'Diagnostics' });
    await section.waitFor({ timeout: TIMEOUT });
    const fact = (name: string) => section.locator('dt', { hasText: name }).locator('xpath=following-sibling::dd[1]');
    await expect.poll(() => fact('Battery').textContent(), { timeout: TIMEOUT }).toBe('77 %');
    expect(await fact('Signal').textContent()).toBe('Good (-62 dBm)');
    expect(await fact('Firmware').textContent()).toBe('sim-3.2.1');
    await expect.poll(() => fact('Uptime').textContent(), { timeout: TIMEOUT }).toMatch(/^(less than a minute|\d+ minutes?)$/);

    const day = section.getByRole('img', { name: /^In the last 24 hours: battery 77 % to 77 %; signal -62 to -62 dBm; online throughout\.$/ });
    await day.waitFor({ timeout: TIMEOUT });
    expect(await section.getByRole('button', { name: '24 h' }).getAttribute('aria-pressed')).toBe('true');
    expect(await seriousViolations(page)).toEqual([]);

    await section.getByRole('button', { name: '7 d' }).click();
    const week = section.getByRole('img', { name: /^In the last 7 days: battery 81 % to 77 %; signal -58 to -62 dBm; offline once, 2 hours in all\.$/ });
    await week.waitFor({ timeout: TIMEOUT });
    expect(await section.getByRole('button', { name: '7 d' }).getAttribute('aria-pressed')).toBe('true');
    expect(await section.locator('.offline-band').count()).toBe(1);
    expect(await section.getByText('7 d ago').isVisible()).toBe(true);
    await section.scrollIntoViewIfNeeded();
    await page.screenshot({ path: screenshotPath('diagnostics.png') });

    await fits(page, 320);
    expect(await seriousViolations(page)).toEqual([]);
    await page.emulateMedia({ colorScheme: 'dark' });
    expect(await seriousViolations(page)).toEqual([]);

    await section.getByRole('button', { name: '24 h' }).click();
    await day.waitFor({ timeout: TIMEOUT });
  });

  it('shows an admin dashboard without events as "No data", with labelled axes', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await signIn('root', ADMIN_PASSWORD);
    // Nothing happened in the last 30 minutes as far as the chart knows: the audit log is empty.
    await rig.app.services.store.audit.deleteBefore(new Date(Date.now() + 60_000), 10_000);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor({ timeout: TIMEOUT });
    const fleet = page.getByRole('region', { name: 'Fleet' });
    const chart = fleet.locator('figure.events-chart');
    await chart.getByText('No data', { exact: true }).waitFor({ timeout: TIMEOUT });
    expect(await chart.getByRole('img').count()).toBe(0);
    expect(await chart.textContent()).toContain('Events per minute (count)');
    expect(await chart.textContent()).toContain('Time (minutes)');
    expect(await chart.locator('figcaption').textContent()).toBe('No data: no events in the last 30 minutes.');
    expect(await seriousViolations(page)).toEqual([]);

    // An event arrives live (the lock goes offline, audited): bars replace "No data".
    await sim?.stop({ graceful: false });
    await chart.getByRole('img', { name: 'Events per minute, last 30 minutes' }).waitFor({ timeout: TIMEOUT });
    expect(await chart.getByText('No data', { exact: true }).count()).toBe(0);
    await fits(page, 320);
    expect(await seriousViolations(page)).toEqual([]);
  });
});
