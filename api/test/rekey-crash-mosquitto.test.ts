/**
 * Over-the-air rotation on Mosquitto with dynamic security survives `kill -9` at each step
 * (docs/protocol.md §13.3, crash analysis, the one-password rows). The broker is a real Mosquitto
 * that outlives the api; the api is the built one on a SQLite file; the lock is
 * firmware/build/virtual-lock. Each case crashes one side (or both) at one step, restarts, and ends
 * with the rotation over and a command SUCCEEDED:
 *
 *   1. the api stored the new secret, the lock never got it (lock frozen, both killed): the
 *      broker keeps K's password and the restarted api's reconcile says so again
 *   2. the lock persisted the new secret and died before acking: it logs in with K's password
 *   3. the lock acked and died; the api switched and moved the account, and was killed too: the
 *      restarted lock is refused with K's password and gets in with K''s (its login rule), says
 *      hello under K, and switches on the welcome under K'
 *   4. the api switched in its store and died before moving the account (left on K's password by
 *      the broker's admin, as that crash leaves it): the restarted api's reconcile moves it
 *   5. the lock switched and was killed before it said anything under K': it logs in with K' alone
 *
 * Needs `npm run build:api` first.
 */
import { afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { MosquittoRekeyRig, REKEY_WAIT_MS, type Cleanups } from '../src/test-support/rekey-mosquitto-rig.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { BUILD_TIMEOUT_MS, virtualLockRigUnavailable } from '../src/test-support/virtual-lock.js';

let skipReason: string | undefined;
beforeAll(async () => {
  skipReason = await virtualLockRigUnavailable({ builtApi: true, dynsec: true });
}, BUILD_TIMEOUT_MS);

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** Starts a rotation whose lock persists the new secret, acks, and exits; returns the old sealed secret. */
async function lockAcksThenDies(r: MosquittoRekeyRig): Promise<string> {
  const first = r.startLock({ SMARTLOCK_FAULT: 'exit-after-rekey-ack' });
  await r.rotatable(first);
  const before = await r.rotate();
  expect(await first.exited).toMatchObject({ code: 9 });
  return before;
}

const PENDING = /secret: a new one is stored, waiting for the server to use it/;
const SWITCHED = /secret: the server uses the new one; switched to it/;
const pendingSealed = expect.any(String) as unknown;

describe('over-the-air rotation on Mosquitto (dynsec): kill -9 at each step, then the lock is online and obeys', () => {
  it('1. the api stored the new secret, the lock never got it: both killed, both restarted', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    const r = await MosquittoRekeyRig.start(cleanups);
    const first = r.startLock();
    await r.rotatable(first);
    first.signal('SIGSTOP'); // it reads nothing from here on
    const before = await r.rotate();
    expect(r.row()).toMatchObject({ secret_sealed: before, secret_pending_sealed: pendingSealed, secret_previous_sealed: null });
    await r.crashApi();
    await first.kill('SIGKILL');
    expect(await r.loginCode(MosquittoRekeyRig.passwordOf(r.registered.deviceSecret))).toBe(0); // SENT: still K's
    await r.restartApi();
    const second = r.startLock();
    await r.rotated(before, second);
    await r.unlockSucceeds(second);
  }, 240_000);

  it('2. the lock persisted the new secret and died before acking: it logs in with the old password and acks the resent rekey', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    const r = await MosquittoRekeyRig.start(cleanups);
    const first = r.startLock({ SMARTLOCK_FAULT: 'exit-after-rekey-persist' });
    await r.rotatable(first);
    const before = await r.rotate();
    expect(await first.exited).toMatchObject({ code: 9 });
    expect(r.row()).toMatchObject({ secret_sealed: before, secret_pending_sealed: pendingSealed });
    const second = r.startLock();
    await second.waitForStderr(PENDING);
    await r.rotated(before, second);
    await r.unlockSucceeds(second);
  }, 240_000);

  it('3. the api switched and moved the account, the lock died before switching, then the api was killed: the lock gets in with the new password', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    const r = await MosquittoRekeyRig.start(cleanups);
    const before = await lockAcksThenDies(r);
    await eventually(async () => (r.row()?.secret_previous_sealed === before && r.row()?.secret_pending_sealed === null ? true : null), REKEY_WAIT_MS);
    const next = r.lockSecret('keynext') ?? '';
    // The account moved to K''s password right after the switch.
    await eventually(async () => ((await r.loginCode(MosquittoRekeyRig.passwordOf(next))) === 0 ? true : null), REKEY_WAIT_MS);
    expect(await r.loginCode(MosquittoRekeyRig.passwordOf(r.registered.deviceSecret))).toBe(5);
    await r.crashApi();
    await r.restartApi();
    const second = r.startLock();
    await second.waitForStderr(PENDING);
    await second.waitForStderr(/mqtt: connecting \(attempt \d+, v2 password of the new secret\)/, 0, REKEY_WAIT_MS);
    await second.waitForStderr(SWITCHED, 0, REKEY_WAIT_MS);
    await r.rotated(before, second);
    await r.unlockSucceeds(second);
  }, 240_000);

  it('4. the api switched in its store and died before moving the account: the restarted api\'s reconcile moves it', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    const r = await MosquittoRekeyRig.start(cleanups);
    const before = await lockAcksThenDies(r);
    await eventually(async () => (r.row()?.secret_previous_sealed === before ? true : null), REKEY_WAIT_MS);
    const next = r.lockSecret('keynext') ?? '';
    await eventually(async () => ((await r.loginCode(MosquittoRekeyRig.passwordOf(next))) === 0 ? true : null), REKEY_WAIT_MS);
    await r.crashApi();
    // What a kill -9 between the store's switch and the broker's leaves: the store CONFIRMING, the broker on K.
    await r.setBrokerPassword(MosquittoRekeyRig.passwordOf(r.registered.deviceSecret));
    expect(r.row()).toMatchObject({ secret_previous_sealed: before });
    await r.restartApi();
    await eventually(async () => ((await r.loginCode(MosquittoRekeyRig.passwordOf(next))) === 0 ? true : null), REKEY_WAIT_MS);
    expect(await r.loginCode(MosquittoRekeyRig.passwordOf(r.registered.deviceSecret))).toBe(5);
    const second = r.startLock();
    await second.waitForStderr(SWITCHED, 0, REKEY_WAIT_MS);
    await r.rotated(before, second);
    await r.unlockSucceeds(second);
  }, 240_000);

  it('5. the lock switched and was killed before its first message under the new secret: it logs in with the new password alone', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    const r = await MosquittoRekeyRig.start(cleanups);
    const before = await lockAcksThenDies(r);
    await eventually(async () => (r.row()?.secret_previous_sealed === before ? true : null), REKEY_WAIT_MS);
    // Its state as the lock's switch leaves it (KeyRing::commit): K' current, nothing pending.
    r.commitLockSecret();
    const second = r.startLock();
    await second.waitForStderr(/secret: using the one a rotation gave this lock/);
    await r.rotated(before, second);
    expect(second.stderr.filter((line) => line.includes('broker refused'))).toEqual([]);
    await r.unlockSucceeds(second);
  }, 240_000);
});
