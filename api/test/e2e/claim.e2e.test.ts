/**
 * "Add a lock → Enter the code on the box" in Chromium (docs/protocol.md §15): a mistyped code is
 * caught before anything is sent, the right one claims the simulator's factory-fresh lock, the page
 * waits for it and shows it Online once it logs in with its new credentials; a link from the QR code
 * (/claim#<code>) opens the page with the code filled in.
 */
import type { Page } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { startLock } from '../../src/test-support/locks.js';
import { UnclaimedLock } from '../../src/simulator/unclaimed-lock.js';
import { seriousViolations } from './axe.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const rig = useBrowserApp();

async function signUp(page: Page, username: string): Promise<void> {
  await page.goto(`${rig.base}/`);
  await page.getByRole('button', { name: 'Create an account' }).click();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill('correct horse battery');
  await page.getByRole('button', { name: 'Create account' }).click();
  await page.getByRole('heading', { level: 1, name: 'My locks' }).waitFor({ timeout: TIMEOUT });
}

async function factoryFresh(): Promise<UnclaimedLock> {
  const lock = new UnclaimedLock({
    brokerUrl: rig.app.brokerUrl,
    topicPrefix: rig.app.topics.prefix,
    helloEveryMs: 500,
  });
  await lock.start();
  return lock;
}

describe('claiming a lock in the app', () => {
  it('catches a typo, claims by the code, waits for the lock and shows it Online', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await rig.phone();
    await signUp(page, 'claim-alice');
    const lock = await factoryFresh();
    const code = await lock.code();
    const credentials = new Promise<{ deviceId: string; deviceSecret: string }>((resolve) => lock.once('claimed', resolve));

    await page.getByRole('link', { name: 'Add a lock' }).click();
    await page.getByRole('heading', { level: 2, name: 'Enter the code on the box' }).waitFor({ timeout: TIMEOUT });
    const typo = code.slice(0, 10) + (code[10] === 'A' ? 'B' : 'A') + code.slice(11);
    await page.getByLabel('Code on the box').fill(typo);
    await page.getByLabel('Lock name').fill('Front door');
    await page.getByRole('button', { name: 'Add lock' }).click();
    await page.getByText('This code has a typo').waitFor({ timeout: TIMEOUT });

    await page.getByLabel('Code on the box').fill(code.toLowerCase());
    await page.getByRole('button', { name: 'Add lock' }).click();
    await page.getByText('Waiting for the lock…').waitFor({ timeout: TIMEOUT });
    expect(await seriousViolations(page)).toEqual([]);
    const given = await credentials;
    await lock.stop();
    const sim = await startLock(rig.app, {
      ...given,
      mqttUsername: given.deviceId,
      mqttPassword: '',
    });
    try {
      await page.getByRole('link', { name: 'Open the lock' }).waitFor({ timeout: TIMEOUT });
      expect(await page.getByRole('status').filter({ hasText: 'Online.' }).isVisible()).toBe(true);
    } finally {
      await sim.stop({ graceful: false });
    }
  });

  it('opens with the code from the QR link filled in', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await rig.phone();
    await signUp(page, 'claim-bob');
    const lock = await factoryFresh();
    try {
      const code = await lock.code();
      await page.goto(`${rig.base}/claim#${code}`);
      await page.getByRole('heading', { level: 2, name: 'Enter the code on the box' }).waitFor({ timeout: TIMEOUT });
      expect(await page.getByLabel('Code on the box').inputValue()).toBe(code);
    } finally {
      await lock.stop();
    }
  });
});
