/**
 * The app tells the truth at a glance, in real Chromium: a lock removed in one session leaves the
 * others live (list and lock page), Activity reloads when the connection returns, and a command's
 * result gives way to newer lock state.
 */
import { once } from 'node:events';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedLock } from '../../src/simulator/simulated-lock.js';
import { signUp } from '../../src/test-support/graphql-client.js';
import { registerLock, startLock } from '../../src/test-support/locks.js';
import { PHONE } from './browser.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const PASSWORD = 'correct horse battery';

const rig = useBrowserApp({ COMMAND_TIMEOUT_MS: '5000' });

let first: BrowserContext;
let second: BrowserContext;
let sim: SimulatedLock;

/** A new tab of the app in `context`, signing alice in if that context has no session yet. */
const signIn = (context: BrowserContext): Promise<Page> => rig.signIn(context, 'alice', PASSWORD);

const card = (page: Page, name: string) => page.getByRole('article', { name });

async function openLock(page: Page, name: string): Promise<void> {
  await card(page, name).getByRole('link', { name }).click();
  await page.getByRole('heading', { level: 1, name }).waitFor({ timeout: TIMEOUT });
}

beforeAll(async () => {
  const browser = rig.browser;
  if (!browser) return;
  const app = rig.app;
  const alice = await signUp(app.httpUrl, 'alice', PASSWORD);
  const gate = await registerLock(app, alice.accessToken, 'gate', 'Gate');
  await registerLock(app, alice.accessToken, 'spare', 'Spare');
  sim = await startLock(app, gate, { protocol: 2 });
  if (sim.protocolVersion !== 2) await once(sim, 'negotiated');
  first = await browser.newContext(PHONE);
  second = await browser.newContext(PHONE);
}, 60_000);

afterAll(async () => {
  await sim?.stop({ graceful: true }).catch(() => undefined);
});

describe('live truth in Chromium', () => {
  it('a lock removed in one session disappears live from the other session\'s list, and its page says access was lost', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const remover = await signIn(first);
    const list = await signIn(second);
    const detail = await signIn(second);
    await openLock(detail, 'Spare');
    await card(list, 'Spare').waitFor({ timeout: TIMEOUT });

    await openLock(remover, 'Spare');
    await remover.getByRole('button', { name: 'Remove lock' }).click();
    await remover.getByRole('dialog', { name: 'Remove Spare?' }).getByRole('button', { name: 'Remove', exact: true }).click();
    await remover.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });

    // No reload in the other session: the card leaves, the lock's page explains.
    await card(list, 'Spare').waitFor({ state: 'detached', timeout: TIMEOUT });
    await card(list, 'Gate').waitFor({ timeout: TIMEOUT });
    await detail.getByRole('heading', { level: 1, name: 'You no longer have access to this lock' }).waitFor({ timeout: TIMEOUT });
    await detail.getByText('The lock was removed, in another session or by an administrator.').waitFor({ timeout: TIMEOUT });
    await Promise.all([remover.close(), list.close(), detail.close()]);
  }, 60_000);

  it('Activity that failed without a connection reloads when the connection returns, and offers Retry meanwhile', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await signIn(first);
    await card(page, 'Gate').waitFor({ timeout: TIMEOUT });
    await first.setOffline(true);
    await openLock(page, 'Gate');
    const activity = page.getByRole('region', { name: 'Activity' });
    await activity.getByText('No connection to the server', { exact: false }).waitFor({ timeout: TIMEOUT });
    await activity.getByRole('button', { name: 'Retry' }).waitFor({ timeout: TIMEOUT });
    expect(await activity.getByRole('listitem').count()).toBe(0);

    await first.setOffline(false);
    await activity.getByRole('listitem').filter({ hasText: 'Added as “Gate”' }).first().waitFor({ timeout: TIMEOUT });
    await activity.getByText('No connection to the server', { exact: false }).waitFor({ state: 'detached', timeout: TIMEOUT });
    expect(await activity.getByRole('button', { name: 'Retry' }).count()).toBe(0);
    await page.close();
  }, 60_000);

  it('a command result gives way when the lock reports newer state', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await signIn(first);
    await openLock(page, 'Gate');
    const state = page.getByRole('region', { name: 'State' });
    await state.getByRole('button', { name: 'Unlock Gate' }).click();
    await page.getByRole('dialog', { name: 'Unlock Gate?' }).getByRole('button', { name: 'Unlock', exact: true }).click();
    const result = state.getByRole('status').filter({ hasText: 'Unlocked — confirmed' });
    await result.waitFor({ timeout: TIMEOUT });
    await state.getByText('UNLOCKED', { exact: true }).first().waitFor({ timeout: TIMEOUT });
    // The confirming status came in: the result stays while it agrees.
    await page.waitForTimeout(300);
    expect(await result.count()).toBe(1);

    // Someone turns the bolt by hand: the result no longer describes the lock.
    await sim.turnByHand('LOCKED');
    await state.getByText('LOCKED', { exact: true }).first().waitFor({ timeout: TIMEOUT });
    await result.waitFor({ state: 'detached', timeout: TIMEOUT });
    expect(await state.getByText('Unlocked — confirmed').count()).toBe(0);
    await page.close();
  }, 60_000);
});
