/**
 * Attack: after SCRYPT_COST is raised, time sign-ins to tell existing usernames (checked at their
 * old, cheap cost) from unknown ones (dummy work at the new cost): about 40 ms against 1 s for
 * 12 → 17. Defence: every failing path derives at the same set of costs, and a successful
 * sign-in re-hashes the password at the current cost. The work is compared, not the time: the
 * api counts its scrypt derivations by cost.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp } from '../../src/test-support/graphql-client.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';

const PASSWORD = 'quiet otter under seven bridges';
let raised: TestApp;

beforeAll(async () => {
  // Accounts created at cost 12, then the api restarted on the same data with cost 13.
  const before = await startTestApp({ SCRYPT_COST: '12' });
  await signUp(before.httpUrl, 'early-bird', PASSWORD);
  await signUp(before.httpUrl, 'stays-away', PASSWORD);
  await before.stop();
  raised = await startTestApp({ SCRYPT_COST: '13', DATA_DIR: before.dataDir });
});
afterAll(async () => {
  await raised.close();
});

async function derivationsBy(cost: number): Promise<number> {
  const metric = await raised.services.metrics.passwordDerivations.get();
  return metric.values.find((v) => v.labels.cost === String(cost))?.value ?? 0;
}

/** The scrypt work (derivations per cost) one failed sign-in causes. */
async function workOfFailedSignIn(username: string): Promise<Record<number, number>> {
  const before = { 12: await derivationsBy(12), 13: await derivationsBy(13) };
  expect(errorCodes(await gql(raised.httpUrl, SIGN_IN, { username, password: 'not the password at all' }))).toEqual(['UNAUTHENTICATED']);
  return { 12: (await derivationsBy(12)) - before[12], 13: (await derivationsBy(13)) - before[13] };
}

describe('scrypt cost timing oracle', () => {
  it('does the same scrypt work for an unknown user as for existing ones at the old and the current cost', async () => {
    await signUp(raised.httpUrl, 'newcomer', PASSWORD);
    const unknown = await workOfFailedSignIn('never-signed-up');
    expect(await workOfFailedSignIn('stays-away')).toEqual(unknown);
    expect(await workOfFailedSignIn('newcomer')).toEqual(unknown);
    // And the work includes the current cost: the dummy is not cheaper than a fresh account's check.
    expect(unknown[13]).toBeGreaterThan(0);
  });

  it('re-hashes the password at the current cost on a successful sign-in', async () => {
    expect((await raised.services.store.users.findByUsername('early-bird'))?.passwordHash).toMatch(/^scrypt\$12\$/);
    const first = await gql(raised.httpUrl, SIGN_IN, { username: 'early-bird', password: PASSWORD });
    expect(errorCodes(first)).toEqual([]);
    expect((await raised.services.store.users.findByUsername('early-bird'))?.passwordHash).toMatch(/^scrypt\$13\$/);
    const again = await gql(raised.httpUrl, SIGN_IN, { username: 'early-bird', password: PASSWORD });
    expect(errorCodes(again)).toEqual([]);
  });
});
