/**
 * History reads like a history, in real Chromium (issue 12 item 8): a lock's Activity shows one line
 * per command with its outcome in words, who and when, under day headings, with no command ids or
 * recorded codes; the admin's audit log filters by every action in words and by a lock's name or
 * device id without regard to case, and says when nothing matches.
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SimulatedLock } from '../../src/simulator/simulated-lock.js';
import { signUp } from '../../src/test-support/graphql-client.js';
import { registerLock, startLock } from '../../src/test-support/locks.js';
import { seriousViolations } from './axe.js';
import { screenshotPath, TIMEOUT, useBrowserApp } from './rig.js';

const PASSWORD = 'correct horse battery';

const rig = useBrowserApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here', COMMAND_TIMEOUT_MS: '5000' });

let sim: SimulatedLock;

async function signIn(username: string, password: string): Promise<Page> {
  return rig.signIn(await rig.phone(), username, password);
}

/** The text of every line of a history, in order. */
const lineTexts = (history: Locator) => history.locator('li .audit-text').allInnerTexts();

beforeAll(async () => {
  const browser = rig.browser;
  if (!browser) return;
  const app = rig.app;
  const alice = await signUp(app.httpUrl, 'alice', PASSWORD);
  // Yesterday (written first, as it would have been): an unlock refused because the lock's clock
  // was off, and a lock that worked. Alice sees them as hers: they are her own actions.
  const audit = app.services.store.audit;
  const today = new Date(); // the browser runs in this machine's time zone
  const yesterday = (minutes: number) => new Date(today.getFullYear(), today.getMonth(), today.getDate() - 1, 12, 0, minutes * 60);
  const [refused, locked] = [randomUUID(), randomUUID()];
  const command = { actor: 'alice', deviceId: 'Porch-7' };
  await audit.append({ ...command, at: yesterday(0), action: 'command.unlock', result: 'SENT', detail: refused });
  await audit.append({ ...command, at: yesterday(0.1), action: 'command.unlock', result: 'REJECTED', detail: `${refused}: stale` });
  await audit.append({ ...command, at: yesterday(1), action: 'command.lock', result: 'SENT', detail: locked });
  await audit.append({ ...command, at: yesterday(1.1), action: 'command.lock', result: 'SUCCEEDED', detail: locked });
  const porch = await registerLock(app, alice.accessToken, 'Porch-7', 'Porch');
  sim = await startLock(app, porch, { protocol: 2 });
  if (sim.protocolVersion !== 2) await once(sim, 'negotiated');
}, 60_000);

afterAll(async () => {
  await sim?.stop({ graceful: true }).catch(() => undefined);
});

describe('history in Chromium', () => {
  it("shows one line per command with its outcome in words, who and when, under day headings", async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await signIn('alice', PASSWORD);
    await page.getByRole('article', { name: 'Porch' }).getByRole('link', { name: 'Porch' }).click();
    await page.getByRole('heading', { level: 1, name: 'Porch' }).waitFor({ timeout: TIMEOUT });
    const state = page.getByRole('region', { name: 'State' });

    await state.getByRole('button', { name: 'Unlock Porch' }).click();
    await page.getByRole('dialog', { name: 'Unlock Porch?' }).getByRole('button', { name: 'Unlock', exact: true }).click();
    await state.getByRole('status').filter({ hasText: 'Unlocked — confirmed' }).waitFor({ timeout: TIMEOUT });
    // The door is open: the lock refuses to throw its bolt (door_open).
    await sim.setDoor('OPEN');
    await state.getByText('Door open').first().waitFor({ timeout: TIMEOUT });
    await state.getByRole('button', { name: 'Lock Porch', exact: true }).click();
    await state.getByRole('status').filter({ hasText: 'door is open' }).waitFor({ timeout: TIMEOUT });

    const activity = page.getByRole('region', { name: 'Activity' });
    const today = activity.getByRole('list', { name: 'Activity, Today' });
    await today.getByText('Lock by alice failed: the door is open').waitFor({ timeout: TIMEOUT });
    const todays = await lineTexts(today);
    // Each command once (its SENT and SUCCEEDED entries are one line), and the lock's "Unlocked"
    // status that only confirms it is not repeated.
    expect(todays.filter((text) => text === 'Unlocked by alice')).toHaveLength(1);
    expect(todays.filter((text) => /^Unlock/.test(text))).toEqual(['Unlocked by alice']);
    expect(todays).toContain('Added as “Porch” by alice');
    expect(todays).toContain('Came online');

    const yesterday = activity.getByRole('list', { name: 'Activity, Yesterday' });
    expect(await lineTexts(yesterday)).toEqual(['Locked by alice', "Unlock by alice failed: the lock's clock is off"]);
    expect(await activity.getByRole('heading', { level: 3 }).allInnerTexts()).toEqual(['Today', 'Yesterday']);

    // No recorded codes, ids or full dates on the lines: relative times, the date in a tooltip.
    const all = (await activity.locator('ol').allInnerTexts()).join('\n');
    expect(all).not.toMatch(/SENT|SUCCEEDED|TIMED_OUT|UNAVAILABLE|REJECTED|\bok\b|[0-9a-f]{8}-[0-9a-f]{4}-/);
    const newest = today.locator('time').first();
    expect(await newest.innerText()).toMatch(/^(just now|\d+ (s|min) ago)$/);
    expect(Date.parse((await newest.getAttribute('datetime')) ?? '')).not.toBeNaN();
    expect(await newest.getAttribute('title')).toMatch(/\d{4}/);
    expect(await today.getByText('Unlocked by alice').locator('..').locator('time').innerText()).toMatch(/ago|just now/);

    await activity.screenshot({ path: screenshotPath('history.png') });
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  }, 60_000);

  it('filters the audit log by action in words and by lock name or device id whatever the case, and says when nothing matches', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    const page = await signIn('root', 'root password here');
    await page.getByRole('link', { name: 'Admin' }).click();
    await page.getByRole('heading', { level: 1, name: 'Admin' }).waitFor({ timeout: TIMEOUT });
    const section = page.getByRole('region', { name: 'Audit log' });
    const lines = section.locator('li .audit-text');
    await lines.first().waitFor({ timeout: TIMEOUT });

    // Every action is offered, in words.
    const offered = await page.getByLabel('Action').locator('option').allInnerTexts();
    expect(offered).toContain('Unlock');
    expect(offered).toContain('Went offline');
    expect(offered.some((label) => /\w\.\w/.test(label))).toBe(false);
    expect(offered.length).toBeGreaterThan(20);

    await page.getByLabel('Action').selectOption({ label: 'Unlock' });
    const apply = page.getByRole('button', { name: 'Apply filters' });
    for (const device of ['PORCH', 'porch-7']) {
      await page.getByLabel('Lock name or device ID').fill(device);
      await apply.click();
      await expect
        .poll(() => lines.allInnerTexts(), { timeout: TIMEOUT })
        .toEqual(['Unlocked by alice', "Unlock by alice failed: the lock's clock is off"]);
    }
    expect(await section.locator('.audit-device').first().innerText()).toBe('on Porch-7');
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByLabel('Lock name or device ID').fill('no such lock');
    await apply.click();
    await section.getByText('No entries match these filters').waitFor({ timeout: TIMEOUT });
    expect(await lines.count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  }, 60_000);
});
