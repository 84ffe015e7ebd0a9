/**
 * The door and what moved the bolt, in real Chromium (issue 10): the built app served by the real
 * api, a protocol v2 simulated lock whose door opens and whose bolt is turned by hand, and a v1
 * lock beside it that shows nothing new.
 */
import { once } from 'node:events';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedLock } from '../../src/simulator/simulated-lock.js';
import { signUp } from '../../src/test-support/graphql-client.js';
import { registerLock, startLock } from '../../src/test-support/locks.js';
import { seriousViolations } from './axe.js';
import { PHONE } from './browser.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const PASSWORD = 'correct horse battery';

const rig = useBrowserApp({ COMMAND_TIMEOUT_MS: '5000' });

let context: BrowserContext;
let page: Page;
let v2Lock: SimulatedLock;
let v1Lock: SimulatedLock;

beforeAll(async () => {
  const browser = rig.browser;
  if (!browser) return;
  const app = rig.app;
  const alice = await signUp(app.httpUrl, 'alice', PASSWORD);
  const back = await registerLock(app, alice.accessToken, 'back-door', 'Back door');
  const shed = await registerLock(app, alice.accessToken, 'shed-door', 'Shed door');
  v2Lock = await startLock(app, back, { protocol: 2 });
  if (v2Lock.protocolVersion !== 2) await once(v2Lock, 'negotiated');
  v1Lock = await startLock(app, shed);
  context = await browser.newContext(PHONE);
  page = await context.newPage();
  await rig.signIn(page, 'alice', PASSWORD);
}, 60_000);

afterAll(async () => {
  await v2Lock?.stop({ graceful: true }).catch(() => undefined);
  await v1Lock?.stop({ graceful: true }).catch(() => undefined);
});

const card = (name: string) => page.getByRole('article', { name });
/** "Locked by hand · 3 s ago": the change's text with how long ago it was (server clock). */
const changed = (text: string) => new RegExp(`^${text} · \\d+ s ago$`);

describe('the door on the lock card in Chromium', () => {
  it('shows a v2 lock\'s closed door, and nothing new for a v1 lock', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    await card('Back door').getByText('Door closed', { exact: true }).waitFor({ timeout: TIMEOUT });
    await card('Shed door').getByText('Online', { exact: true }).waitFor({ timeout: TIMEOUT });
    await card('Shed door').getByText('LOCKED', { exact: true }).waitFor({ timeout: TIMEOUT });
    expect(await card('Shed door').getByText(/Door (open|closed)|door sensor|by hand|by alice/).count()).toBe(0);
    expect(await card('Shed door').locator('.last-change').count()).toBe(0);
  });

  it('shows "Door open" and a locked bolt in an open door as unsafe, then "Locked by hand"', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const back = card('Back door');
    await v2Lock.setDoor('OPEN');
    await back.getByText('Door open', { exact: true }).waitFor({ timeout: TIMEOUT });
    await back.getByText('LOCKED · door open', { exact: true }).waitFor({ timeout: TIMEOUT });
    expect(await back.getByText('Door open', { exact: true }).getAttribute('class')).toContain('badge-bad');
    expect(await back.getByText('LOCKED · door open', { exact: true }).getAttribute('class')).toContain('badge-bad');
    // The alert it raises, live through lockChanged; it clears when the bolt is drawn.
    const alert = back.getByText('Bolt thrown while the door is open', { exact: true });
    await alert.waitFor({ timeout: TIMEOUT });
    expect(await alert.getAttribute('class')).toContain('badge-bad');

    await v2Lock.turnByHand('UNLOCKED');
    await back.getByText(changed('Unlocked by hand')).waitFor({ timeout: TIMEOUT });
    await alert.waitFor({ state: 'detached', timeout: TIMEOUT });
    await v2Lock.setDoor('CLOSED');
    await v2Lock.turnByHand('LOCKED');
    await back.getByText(changed('Locked by hand')).waitFor({ timeout: TIMEOUT });
    await back.getByText('Door closed', { exact: true }).waitFor({ timeout: TIMEOUT });
    expect(await seriousViolations(page)).toEqual([]);
  });

  it('names who unlocked it from the app, on the card and on the lock\'s page', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const back = card('Back door');
    await back.getByRole('button', { name: 'Unlock Back door' }).click();
    await page.getByRole('dialog', { name: 'Unlock Back door?' }).getByRole('button', { name: 'Unlock', exact: true }).click();
    await back.getByText(changed('Unlocked by alice')).waitFor({ timeout: TIMEOUT });
    await v2Lock.setDoor('OPEN');
    await back.getByRole('link', { name: 'Back door' }).click();
    await page.getByRole('heading', { level: 1, name: 'Back door' }).waitFor({ timeout: TIMEOUT });
    await page.getByText('Door open', { exact: true }).waitFor({ timeout: TIMEOUT });
    await page.getByText(changed('Unlocked by alice')).waitFor({ timeout: TIMEOUT });
    expect(await seriousViolations(page)).toEqual([]);
  });
});
