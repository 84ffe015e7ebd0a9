/**
 * Sharing a lock in Chromium (issue 15 item 1, "in the app too"): alice shares her lock with bob as
 * a guest for a window around now; bob's "My locks" shows it marked as shared with when he may use
 * it, and he unlocks it; alice stops sharing and bob's open page drops it live with a notice; an
 * invitation link opened signed out is accepted by a new account through sign-up.
 */
import { once } from 'node:events';
import type { Page } from 'playwright-core';
import { afterAll, describe, expect, it } from 'vitest';
import type { SimulatedLock } from '../../src/simulator/simulated-lock.js';
import { gql, SIGN_IN, signUp } from '../../src/test-support/graphql-client.js';
import { registerLock, startLock } from '../../src/test-support/locks.js';
import { seriousViolations } from './axe.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const PASSWORD = 'correct horse battery';
const rig = useBrowserApp({ COMMAND_TIMEOUT_MS: '5000' });
let sim: SimulatedLock | undefined;

afterAll(async () => {
  await sim?.stop({ graceful: true }).catch(() => undefined);
});

/** A `datetime-local` value in UTC (the lock's zone until its owner sets one). */
const utcLocal = (ms: number) => new Date(ms).toISOString().slice(0, 16);

async function openLock(page: Page, deviceId: string): Promise<void> {
  await page.goto(`${rig.base}/locks/${deviceId}`);
  await page.getByRole('heading', { level: 1, name: 'Front door' }).waitFor({ timeout: TIMEOUT });
}

describe('Sharing a lock', () => {
  it('alice shares with a guest for a window, bob unlocks in it, loses it live when revoked; an invitation is accepted through sign-up', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    await Promise.all([signUp(rig.app.httpUrl, 'sh-alice', PASSWORD), signUp(rig.app.httpUrl, 'sh-bob', PASSWORD)]);
    const token = (await gql<{ signIn: { accessToken: string } }>(rig.app.httpUrl, SIGN_IN, { username: 'sh-alice', password: PASSWORD })).data!.signIn.accessToken;
    const lock = await registerLock(rig.app, token, 'sh-front', 'Front door');
    sim = await startLock(rig.app, lock, { protocol: 2 });
    if (sim.protocolVersion !== 2) await once(sim, 'negotiated');

    // Both sign in at once (each sign-in hashes a password: the slow part of this file).
    const [alice, bob] = await Promise.all([
      rig.signIn(await rig.browser.newContext(), 'sh-alice', PASSWORD),
      rig.signIn(await rig.browser.newContext(), 'sh-bob', PASSWORD),
    ]);

    // Alice shares it with bob as a guest, from an hour ago until two hours on.
    await openLock(alice, lock.deviceId);
    const people = alice.getByRole('region', { name: 'People' });
    await people.getByRole('button', { name: 'Share this lock' }).click();
    await people.getByLabel('Their username').fill('sh-bob');
    await people.getByLabel('Only between dates').check();
    await people.getByLabel('Starts').fill(utcLocal(Date.now() - 3_600_000));
    await people.getByLabel('Ends').fill(utcLocal(Date.now() + 2 * 3_600_000));
    await people.getByRole('button', { name: 'Share', exact: true }).click();
    await people.getByText('Shared with sh-bob.').waitFor({ timeout: TIMEOUT });
    const row = people.getByRole('list', { name: 'Shared with' }).getByRole('listitem', { name: 'sh-bob' });
    await row.getByText(/May use it now/).waitFor({ timeout: TIMEOUT });
    // One axe run, on the page with the most that is new (the People section with a share).
    expect(await seriousViolations(alice)).toEqual([]);

    // Bob's open "My locks" shows it live (lockChanged), marked as shared, and he unlocks it.
    const card = bob.getByRole('article', { name: 'Front door' });
    await card.getByText(/^Shared by sh-alice · Guest · Now until /).waitFor({ timeout: TIMEOUT });
    await card.getByRole('button', { name: 'Unlock Front door' }).click();
    await bob.getByRole('dialog', { name: 'Unlock Front door?' }).getByRole('button', { name: 'Unlock', exact: true }).click();
    await card.getByRole('status').filter({ hasText: 'Unlocked — confirmed' }).waitFor({ timeout: TIMEOUT });

    // Alice stops sharing: bob's open "My locks" drops the lock without a reload and says why.
    await row.getByRole('button', { name: 'Stop sharing with sh-bob' }).click();
    await alice.getByRole('dialog', { name: 'Stop sharing Front door with sh-bob?' }).getByRole('button', { name: 'Stop sharing' }).click();
    await bob.getByText('Front door is no longer shared with you.').waitFor({ timeout: TIMEOUT });
    expect(await card.count()).toBe(0);

    // An invitation link, shown once, opened signed out by someone without an account yet.
    await people.getByRole('button', { name: 'Create an invitation link' }).click();
    await people.getByRole('button', { name: 'Create link' }).click();
    const link = await people.locator('code.invite-link').innerText({ timeout: TIMEOUT });
    expect(link).toMatch(new RegExp(`^${rig.base}/invite#.+`));
    const carol = await rig.phone();
    await carol.goto(link);
    await carol.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor({ timeout: TIMEOUT });
    await carol.getByRole('button', { name: 'Create an account' }).click();
    await carol.getByLabel('Username').fill('sh-carol');
    await carol.getByLabel('Password').fill(PASSWORD);
    await carol.getByRole('button', { name: 'Create account' }).click();
    await carol.getByRole('button', { name: 'Accept the invitation' }).click();
    await carol.getByRole('heading', { level: 1, name: 'Front door' }).waitFor({ timeout: TIMEOUT });
    await carol.getByText(/^Shared by sh-alice · Guest · Any time/).waitFor({ timeout: TIMEOUT });
    // A guest is not offered what only the owner may do.
    expect(await carol.getByRole('button', { name: 'Remove lock' }).count()).toBe(0);
    expect(await carol.getByRole('region', { name: 'People' }).count()).toBe(0);
  }, 90_000);
});
