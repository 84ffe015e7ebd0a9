/**
 * Over-the-air secret rotation on Mosquitto with dynamic security (docs/protocol.md §13.3): the
 * broker holds one password per lock, so the api moves the account to the new secret's password
 * when it switches, and the lock's login rule (§11.1) tries that password while it holds the new
 * secret pending. Real Mosquitto + dynsec, the built api, firmware/build/virtual-lock (v3).
 *
 * Needs `npm run build:api` first.
 */
import { afterEach, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { gql } from '../src/test-support/graphql-client.js';
import { MosquittoRekeyRig, REKEY_WAIT_MS, type Cleanups } from '../src/test-support/rekey-mosquitto-rig.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { BUILD_TIMEOUT_MS, virtualLockRigUnavailable } from '../src/test-support/virtual-lock.js';

const WHY_NOT = 'query ($d: ID!) { lock(deviceId: $d) { online overTheAirRotationUnavailable } }';

let skipReason: string | undefined;
beforeAll(async () => {
  skipReason = await virtualLockRigUnavailable({ builtApi: true, dynsec: true });
}, BUILD_TIMEOUT_MS);

const cleanups: Cleanups = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe('over-the-air secret rotation on Mosquitto with dynamic security', () => {
  it('rotates an online v3 lock: the account moves to the new password, the lock follows, a restart keeps it', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    const r = await MosquittoRekeyRig.start(cleanups);
    const first = r.startLock();
    await r.rotatable(first);
    const before = await r.rotate();
    await first.waitForStderr(/secret: the server uses the new one; switched to it/, 0, REKEY_WAIT_MS);
    await r.rotated(before, first);
    await r.unlockSucceeds(first);

    // The broker holds the new secret's password only.
    const next = r.lockSecret('key');
    expect(next).toMatch(/^[0-9a-f]{64}$/);
    await first.kill('SIGKILL');
    expect(await r.loginCode(MosquittoRekeyRig.passwordOf(next ?? ''))).toBe(0);
    expect(await r.loginCode(MosquittoRekeyRig.passwordOf(r.registered.deviceSecret))).toBe(5);

    // Restarted (configured with the original secret), the lock logs in with the rotated one at once.
    const second = r.startLock();
    await second.waitForStderr(/secret: using the one a rotation gave this lock/);
    await second.waitForStderr(/mqtt: online/);
    expect(second.stderr.filter((line) => line.includes('broker refused'))).toEqual([]);
    await r.unlockSucceeds(second);
  }, 240_000);

  it('accounts kept by hand (MQTT_BROKER_ADMIN=none) still refuse it: the api cannot move the password', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    const r = await MosquittoRekeyRig.start(cleanups, { MQTT_BROKER_ADMIN: 'none' });
    await r.createAccountByHand();
    const lock = r.startLock();
    await lock.waitForStderr(/welcome: speaking v3/, 0, REKEY_WAIT_MS);
    const why = await eventually(async () => {
      const view = await gql<{ lock: { online: boolean; overTheAirRotationUnavailable: string | null } }>(r.server.httpUrl, WHY_NOT, { d: r.deviceId }, r.owner.accessToken);
      return view.data?.lock.online === true ? view.data.lock.overTheAirRotationUnavailable : null;
    }, REKEY_WAIT_MS);
    expect(why).toContain('kept by hand');
  }, 240_000);

  it('a restarted api (nothing in flight) leaves the rotated lock\'s password alone', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    const r = await MosquittoRekeyRig.start(cleanups);
    const lock = r.startLock();
    await r.rotatable(lock);
    const before = await r.rotate();
    await r.rotated(before, lock);
    const sessions = () => lock.stderr.filter((line) => line.includes('mqtt: online')).length;
    const online = sessions();
    await r.crashApi();
    await r.restartApi();
    await r.unlockSucceeds(lock);
    expect(sessions()).toBe(online); // the reconcile kicked nobody: the session that ran before still runs
  }, 240_000);
});
