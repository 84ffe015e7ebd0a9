/**
 * Transferring a lock in Chromium (issue 14 item 5): alice offers her lock from its page, bob sees
 * the offer on "My locks" live and accepts it, he is told the lock needs a new secret (it speaks v1),
 * and alice's open page says the lock is no longer hers.
 */
import { describe, expect, it } from 'vitest';
import { gql, SIGN_IN, signUp } from '../../src/test-support/graphql-client.js';
import { registerLock } from '../../src/test-support/locks.js';
import { seriousViolations } from './axe.js';
import { TIMEOUT, useBrowserApp } from './rig.js';

const PASSWORD = 'correct horse battery';
const rig = useBrowserApp();

describe('Transfer to another person', () => {
  it('alice offers, bob accepts on My locks, alice loses the lock', async (ctx) => {
    if (!rig.browser) return ctx.skip(rig.skipReason);
    await signUp(rig.app.httpUrl, 'tr-alice', PASSWORD);
    await signUp(rig.app.httpUrl, 'tr-bob', PASSWORD);
    const token = (await gql<{ signIn: { accessToken: string } }>(rig.app.httpUrl, SIGN_IN, { username: 'tr-alice', password: PASSWORD })).data!.signIn.accessToken;
    const lock = await registerLock(rig.app, token, 'tr-front', 'Front door');

    const bobPage = await rig.signIn(await rig.browser.newContext(), 'tr-bob', PASSWORD);
    const alicePage = await rig.signIn(await rig.browser.newContext(), 'tr-alice', PASSWORD);
    await alicePage.goto(`${rig.base}/locks/${lock.deviceId}`);
    await alicePage.getByRole('button', { name: 'Transfer to another person' }).click();
    await alicePage.getByLabel('Their username').fill('tr-bob');
    await alicePage.getByRole('button', { name: 'Offer', exact: true }).click();
    expect(await seriousViolations(alicePage)).toEqual([]);
    await alicePage.getByRole('dialog').getByRole('button', { name: 'Offer', exact: true }).click();
    await alicePage.getByText(/Offered to tr-bob until/).waitFor({ timeout: TIMEOUT });

    // Bob's "My locks" shows it without a reload (lockTransferChanged).
    const offered = bobPage.getByRole('region', { name: 'Locks offered to you' });
    await offered.getByText('tr-alice offers you the lock “Front door”', { exact: false }).waitFor({ timeout: TIMEOUT });
    expect(await seriousViolations(bobPage)).toEqual([]);
    await offered.getByRole('button', { name: 'Accept' }).click();
    await bobPage.getByText(/Front door is yours now\. It needs a new secret/).waitFor({ timeout: TIMEOUT });
    await bobPage.getByRole('link', { name: 'Front door' }).first().waitFor({ timeout: TIMEOUT });

    await alicePage.getByText('The person you offered this lock to accepted it: it is theirs now.').waitFor({ timeout: TIMEOUT });
    expect((await rig.app.services.store.locks.findByDeviceId(lock.deviceId))?.owner).toBe('tr-bob');
  }, 90_000);
});
