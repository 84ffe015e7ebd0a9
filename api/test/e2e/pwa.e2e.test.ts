/**
 * The PWA end to end in real Chromium: the built app served by the real api
 * (embedded broker) with a simulated lock. Phone-sized screenshots of the
 * main screens go to docs/screenshots/ for the README (with UPDATE_SCREENSHOTS=1, rig.ts).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedLock } from '../../src/simulator/simulated-lock.js';
import { startLock } from '../../src/test-support/locks.js';
import { seriousViolations } from './axe.js';
import { CHROMIUM, CHROMIUM_FLAGS, PHONE } from './browser.js';
import { screenshotPath, TIMEOUT, useBrowserApp } from './rig.js';


const rig = useBrowserApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here', COMMAND_TIMEOUT_MS: '5000' });

let owner: BrowserContext;
let page: Page;
let sim: SimulatedLock | undefined;
let secret = '';

async function signUpInBrowser(target: Page, username: string, password = 'correct horse battery'): Promise<void> {
  await target.goto(`${rig.base}/`);
  await target.getByRole('button', { name: 'Create an account' }).click();
  await target.getByLabel('Username').fill(username);
  await target.getByLabel('Password').fill(password);
  await target.getByRole('button', { name: 'Create account' }).click();
  await target.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
}

function card(target: Page, name: string) {
  return target.getByRole('article', { name });
}

beforeAll(async () => {
  const browser = rig.browser;
  if (!browser) return;
  owner = await browser.newContext(PHONE);
  await owner.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: rig.base });
  page = await owner.newPage();
}, 60_000);

afterAll(async () => {
  await sim?.stop({ graceful: true }).catch(() => undefined);
});

describe('the installable app in Chromium', () => {
  it('signs up, adds a lock that comes online, and unlocks it with live confirmation', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    await page.goto(`${rig.base}/`);
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: TIMEOUT });
    await page.screenshot({ path: screenshotPath('sign-in.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await signUpInBrowser(page, 'alice');

    await page.getByRole('link', { name: 'Add a lock' }).click();
    await page.getByText('Register by device ID').click(); // the advanced way, below claiming by code
    await page.getByLabel('Device ID').fill('e2e-door');
    await page.getByLabel('Name', { exact: true }).fill('Front door');
    await page.getByRole('button', { name: 'Register' }).click();
    await page.getByText('will not be shown again').waitFor({ timeout: TIMEOUT });
    await page.getByRole('button', { name: 'Copy device secret' }).click();
    secret = await page.evaluate(() => navigator.clipboard.readText());
    expect(secret).toMatch(/^[0-9a-f]{64}$/);
    // Even a throwaway test secret does not belong in the repository's pictures.
    await page.screenshot({ path: screenshotPath('add-lock.png'), mask: [page.locator('.credential output')] });
    expect(await seriousViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Done' }).click();

    const door = card(page, 'Front door');
    await door.getByText('Offline', { exact: true }).waitFor({ timeout: TIMEOUT });
    expect(await door.getByRole('button', { name: 'Unlock Front door' }).isDisabled()).toBe(true);

    sim = await startLock(rig.app, { deviceId: 'e2e-door', deviceSecret: secret, mqttUsername: 'e2e-door', mqttPassword: '' }, { battery: 80 });
    await door.getByText('Online', { exact: true }).waitFor({ timeout: TIMEOUT });
    await door.getByText('LOCKED', { exact: true }).waitFor({ timeout: TIMEOUT });

    // The command rides the open live socket (live-client.ts), not an HTTP request.
    const unlockSent = { socket: 0, http: 0 };
    page.on('websocket', (socket) => socket.on('framesent', ({ payload }) => void (String(payload).includes('UnlockCommand') && (unlockSent.socket += 1))));
    page.on('request', (request) => void (request.method() === 'POST' && (request.postData() ?? '').includes('UnlockCommand') && (unlockSent.http += 1)));
    await page.reload(); // the listener above sees the socket from its start
    await door.getByText('LOCKED', { exact: true }).waitFor({ timeout: TIMEOUT });
    await door.getByRole('button', { name: 'Unlock Front door' }).click();
    const dialog = page.getByRole('dialog', { name: 'Unlock Front door?' });
    await dialog.getByRole('button', { name: 'Unlock', exact: true }).click();
    await door.getByRole('status').getByText('Unlocked — confirmed').waitFor({ timeout: TIMEOUT });
    await door.getByText('UNLOCKED', { exact: true }).waitFor({ timeout: TIMEOUT });
    expect(sim.status).toBe('UNLOCKED');
    expect(unlockSent).toEqual({ socket: 1, http: 0 });
    await page.screenshot({ path: screenshotPath('my-locks.png') });
    expect(await seriousViolations(page)).toEqual([]);
  }, 60_000);

  it("does not show a lock to another user, until an admin reassigns it; the audit log shows it", async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const bobContext = await rig.browser.newContext(PHONE);
    const bob = await bobContext.newPage();
    await signUpInBrowser(bob, 'bob');
    await bob.getByText('No locks yet', { exact: false }).waitFor({ timeout: TIMEOUT }).catch(() => undefined);
    expect(await card(bob, 'Front door').count()).toBe(0);

    const adminContext = await rig.browser.newContext(PHONE);
    const admin = await adminContext.newPage();
    await rig.signIn(admin, 'root', 'root password here');
    await admin.getByRole('link', { name: 'Admin' }).click();
    await admin.getByRole('heading', { level: 1, name: 'Admin' }).waitFor({ timeout: TIMEOUT });
    await admin.getByLabel('New owner for Front door (e2e-door)').selectOption({ label: 'bob' });
    await admin.getByRole('button', { name: 'Reassign Front door (e2e-door)' }).click();
    await admin.getByRole('dialog', { name: 'Give Front door to bob?' }).getByRole('button', { name: 'Reassign', exact: true }).click();
    await admin.getByLabel('Action').selectOption({ label: 'Lock given to another user' });
    await admin.getByRole('button', { name: 'Apply filters' }).click();
    await admin.getByRole('list', { name: /audit/i }).getByRole('listitem').getByText('Moved from alice to bob by root').waitFor({ timeout: TIMEOUT });
    // The header is sticky, so a full-page capture would paint it mid-page: take the phone's screen.
    await admin.evaluate(() => {
      window.scrollTo(0, 0);
      document.querySelectorAll('*').forEach((element) => (element.scrollLeft = 0)); // tables scrolled to the controls
    });
    await admin.screenshot({ path: screenshotPath('admin.png') });
    expect(await seriousViolations(admin)).toEqual([]);

    // Bob now sees it live; Alice no longer does.
    await card(bob, 'Front door').waitFor({ timeout: TIMEOUT });
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
    await expect.poll(() => card(page, 'Front door').count(), { timeout: TIMEOUT }).toBe(0);
    await bobContext.close();
    await adminContext.close();
  }, 60_000);

  it('sends an ended session back to sign-in and returns to the page it was on', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const context = await rig.browser.newContext(PHONE);
    const dave = await context.newPage();
    await signUpInBrowser(dave, 'dave', 'daves long password');
    await dave.getByRole('link', { name: 'Add a lock' }).click();
    await dave.getByRole('heading', { level: 1, name: 'Add a lock' }).waitFor({ timeout: TIMEOUT });
    // Every session of dave ends elsewhere (as "sign out everywhere" from another device does).
    const user = await rig.app.services.store.users.findByUsername('dave');
    if (!user) throw new Error('dave was not created');
    await rig.app.services.auth.signOutEverywhere(user);
    await dave.reload();
    await dave.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: TIMEOUT });
    await dave.getByLabel('Username').fill('dave');
    await dave.getByLabel('Password').fill('daves long password');
    await dave.getByRole('button', { name: 'Sign in' }).click();
    await dave.getByRole('heading', { level: 1, name: 'Add a lock' }).waitFor({ timeout: TIMEOUT });
    expect(new URL(dave.url()).pathname).toBe('/add');
    await context.close();
  }, 60_000);

  it('is installable, runs under its service worker and shows the shell and last known states offline', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    // Installability is never reported for incognito contexts: use a real (temporary) profile.
    const profile = mkdtempSync(join(tmpdir(), 'smartlock-chromium-'));
    const context = await chromium.launchPersistentContext(profile, { ...PHONE, executablePath: CHROMIUM, args: CHROMIUM_FLAGS, headless: true });
    const carol = context.pages()[0] ?? (await context.newPage());
    await signUpInBrowser(carol, 'carol');
    const cdp = await context.newCDPSession(carol);
    const installability = (await cdp.send('Page.getInstallabilityErrors')) as { installabilityErrors: { errorId: string }[] };
    expect(installability.installabilityErrors).toEqual([]);

    await carol.evaluate(async () => {
      await navigator.serviceWorker.ready;
    });
    await carol.reload();
    await expect.poll(() => carol.evaluate(() => navigator.serviceWorker.controller !== null), { timeout: TIMEOUT }).toBe(true);

    // Carol registers a lock so there is a last known state to show offline.
    await carol.getByRole('link', { name: 'Add a lock' }).click();
    await carol.getByText('Register by device ID').click(); // the advanced way, below claiming by code
    await carol.getByLabel('Device ID').fill('carol-gate');
    await carol.getByLabel('Name', { exact: true }).fill('Garden gate');
    await carol.getByRole('button', { name: 'Register' }).click();
    await carol.getByText('will not be shown again').waitFor({ timeout: TIMEOUT });
    await carol.getByRole('button', { name: 'Done' }).click();
    await carol.getByRole('dialog', { name: 'Leave without the secret?' }).getByRole('button', { name: 'Leave' }).click();
    await card(carol, 'Garden gate').waitFor({ timeout: TIMEOUT });

    await context.setOffline(true);
    await carol.reload();
    await carol.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
    // Requests fail while the browser still says it is online (Chromium's emulation keeps navigator.onLine
    // true after a reload): for the app that is a server it cannot reach.
    await carol.getByText('Cannot reach the Smartlock server', { exact: false }).first().waitFor({ timeout: TIMEOUT });
    await card(carol, 'Garden gate').waitFor({ timeout: TIMEOUT });
    // Nothing shown as live that is not: nobody knows now whether the lock is reachable.
    await card(carol, 'Garden gate').getByText('Unknown now', { exact: true }).waitFor({ timeout: TIMEOUT });
    expect(await card(carol, 'Garden gate').getByText(/^(Online|Offline)$/).count()).toBe(0);
    // The phone itself loses its network (what the system tells the page): worded for that.
    await carol.evaluate(() => window.dispatchEvent(new Event('offline')));
    await carol.getByText('You are offline', { exact: false }).first().waitFor({ timeout: TIMEOUT });
    expect(await card(carol, 'Garden gate').getByRole('button', { name: 'Lock Garden gate', exact: true }).isDisabled()).toBe(true);
    await carol.screenshot({ path: screenshotPath('offline.png') });
    await context.setOffline(false);
    await context.close();
    rmSync(profile, { recursive: true, force: true });
  }, 60_000);
});
