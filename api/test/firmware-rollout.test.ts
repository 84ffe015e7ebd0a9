/**
 * Signed firmware rollouts end to end: a real api (HTTP, SQLite, embedded broker) and simulated
 * locks welcomed into protocol v3 that take the signed `update` over MQTT, download the image over
 * HTTP, check it, reboot into it and report their progress in v3 statuses (`upd`).
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { gql, SIGN_IN, signUp, wsClient, type AuthResult } from '../src/test-support/graphql-client.js';
import {
  LOCK_FIRMWARE,
  newReleaseKey,
  rolloutsOf,
  signedRelease,
  START_ROLLOUT,
  startUpdatableLocks,
  type RolloutView,
} from '../src/test-support/firmware-releases.js';
import { collect, eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const key = newReleaseKey();
const ADMIN = { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'bootstrap password' };
const apps: TestApp[] = [];
const sims: SimulatedLock[] = [];

async function firmwareApp(env: Record<string, string> = {}): Promise<{ app: TestApp; admin: AuthResult; owner: AuthResult }> {
  const app = await startTestApp({ ...ADMIN, FIRMWARE_PUBLIC_KEY: key.publicKey, FIRMWARE_ROLLOUT_INTERVAL: '150ms', ...env });
  apps.push(app);
  const admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'bootstrap password' })).data!.signIn;
  const owner = await signUp(app.httpUrl, 'owner');
  return { app, admin, owner };
}

async function online(app: TestApp, locks: SimulatedLock[]): Promise<void> {
  await eventually(async () => {
    const stored = await app.services.store.locks.findByDeviceIds(locks.map((s) => s.deviceId));
    return stored.length === locks.length && stored.every((l) => l.protocolVersion === 3 && l.state === 'AVAILABLE' && l.firmware === '2.0.0');
  }, 15_000);
}

afterEach(async () => {
  await Promise.all(sims.splice(0).map((sim) => sim.stop({ graceful: true }).catch(() => undefined)));
});
afterAll(async () => {
  for (const app of apps) await app.close();
});

describe('firmware rollouts', () => {
  it('refuses releases with a bad signature or a wrong hash, and serves stored images immutable', async () => {
    const { app } = await firmwareApp();
    const releases = app.services.firmware.releases;
    const good = signedRelease(key, '2.1.0', 3);
    const other = newReleaseKey();
    const forged = signedRelease(other, '2.1.0', 3);
    await expect(releases.add(forged.manifest, forged.msig, forged.image, null)).rejects.toMatchObject({ reason: 'bad_signature' });
    const tampered = Buffer.from(good.image);
    tampered[0] = (tampered[0] ?? 0) ^ 1;
    await expect(releases.add(good.manifest, good.msig, tampered, null)).rejects.toMatchObject({ reason: 'bad_hash' });
    await expect(releases.add(good.manifest, good.msig, good.image.subarray(1), null)).rejects.toMatchObject({ reason: 'wrong_size' });
    expect(await app.services.store.firmware.listReleases()).toEqual([]);

    const release = await releases.add(good.manifest, good.msig, good.image, null);
    await expect(releases.add(good.manifest, good.msig, good.image, null)).rejects.toMatchObject({ reason: 'duplicate' });
    const base = app.httpUrl.replace('/graphql', '');
    const served = await fetch(`${base}/firmware/${release.sha256}.bin`);
    expect(served.status).toBe(200);
    expect(served.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(Buffer.from(await served.arrayBuffer()).equals(good.image)).toBe(true);
    expect((await fetch(`${base}/firmware/${'0'.repeat(64)}.bin`)).status).toBe(404);
    expect((await fetch(`${base}/firmware/..%2Fsmartlock.db`)).status).toBe(404);
    const audit = await app.services.store.audit.query({ action: 'firmware.release.added' }, { first: 10 });
    expect(audit.items.map((e) => e.result).sort()).toEqual(['bad_hash', 'bad_signature', 'ok', 'wrong_size']);
  });

  it('rolls a release out to 10 locks in stages 10/50/100 and ends with all CONFIRMED', async () => {
    const { app, admin, owner } = await firmwareApp();
    const release = signedRelease(key, '2.1.0', 3);
    const added = await app.services.firmware.releases.add(release.manifest, release.msig, release.image, 'root');
    const locks = await startUpdatableLocks(app, owner, 10, { releasePublicKey: key.publicKey });
    sims.push(...locks);
    await online(app, locks);

    // The owner's app follows the update live on the lockChanged path.
    const socket = wsClient(app.wsUrl, owner.accessToken);
    const live = collect<{ deviceId: string; firmwareUpdate: { state: string } | null }>(socket, 'subscription { lockChanged { deviceId firmwareUpdate { state } } }');
    const started = await gql<{ startFirmwareRollout: RolloutView }>(app.httpUrl, START_ROLLOUT, { r: added.id, s: [10, 50, 100], m: 20 }, admin.accessToken);
    expect(started.errors).toBeUndefined();
    const done = await eventually(async () => {
      const [rollout] = await rolloutsOf(app, admin.accessToken);
      return rollout?.state === 'COMPLETED' ? rollout : null;
    }, 30_000, 100);
    expect(done.stageCounts).toEqual([
      { stage: 0, percent: 10, sent: 1, inProgress: 0, confirmed: 1, failed: 0 },
      { stage: 1, percent: 50, sent: 4, inProgress: 0, confirmed: 4, failed: 0 },
      { stage: 2, percent: 100, sent: 5, inProgress: 0, confirmed: 5, failed: 0 },
    ]);
    for (const state of ['DOWNLOADING', 'REBOOTING', 'CONFIRMED']) await live.waitFor((event) => event.firmwareUpdate?.state === state);
    live.stop();
    await socket.dispose();
    for (const sim of locks) {
      expect(sim.runningFirmware).toBe('2.1.0');
      expect(sim.storedArc).toBe(3);
    }
    // The owner sees the outcome on the lock, and the hello's version is the lock's firmware.
    const seen = await eventually(async () => {
      const view = (await gql<{ lock: { firmware: string; firmwareUpdate: { state: string; releaseVersion: string } } }>(app.httpUrl, LOCK_FIRMWARE, { d: locks[0]!.deviceId }, owner.accessToken)).data?.lock;
      return view?.firmware === '2.1.0' ? view : null;
    });
    expect(seen.firmwareUpdate).toEqual({ releaseVersion: '2.1.0', state: 'CONFIRMED', reason: null });
    const audit = async (action: 'firmware.rollout.advanced' | 'firmware.rollout.completed' | 'firmware.rollout.started') =>
      (await app.services.store.audit.query({ action }, { first: 10 })).items.length;
    expect([await audit('firmware.rollout.started'), await audit('firmware.rollout.advanced'), await audit('firmware.rollout.completed')]).toEqual([1, 2, 1]);
  });

  it('pauses a failing release at its first stage, with the failures shown, and sends no more', async () => {
    const { app, admin, owner } = await firmwareApp();
    const release = signedRelease(key, '2.1.0', 3);
    const added = await app.services.firmware.releases.add(release.manifest, release.msig, release.image, 'root');
    const locks = await startUpdatableLocks(app, owner, 10, { releasePublicKey: key.publicKey, fail: 'roll_back' });
    sims.push(...locks);
    await online(app, locks);

    await gql(app.httpUrl, START_ROLLOUT, { r: added.id, s: [10, 50, 100], m: 20 }, admin.accessToken);
    const paused = await eventually(async () => {
      const [rollout] = await rolloutsOf(app, admin.accessToken);
      return rollout?.state === 'PAUSED' ? rollout : null;
    }, 30_000, 100);
    expect(paused.stageIndex).toBe(0);
    expect(paused.pausedReason).toContain('1 of 1 updates failed');
    expect(paused.pausedReason).toContain('crash');
    expect(paused.locks).toHaveLength(1);
    expect(paused.locks[0]).toMatchObject({ stage: 0, state: 'ROLLED_BACK', reason: 'crash' });
    // The lock went back to its old image; the owner sees why.
    const failedLock = locks.find((s) => s.deviceId === paused.locks[0]!.deviceId)!;
    expect(failedLock.runningFirmware).toBe('2.0.0');
    const view = (await gql<{ lock: { firmwareUpdate: unknown } }>(app.httpUrl, LOCK_FIRMWARE, { d: failedLock.deviceId }, owner.accessToken)).data?.lock;
    expect(view?.firmwareUpdate).toEqual({ releaseVersion: '2.1.0', state: 'ROLLED_BACK', reason: 'crash' });
    await new Promise((resolve) => setTimeout(resolve, 600)); // a few more runs of the job
    expect((await rolloutsOf(app, admin.accessToken))[0]?.locks).toHaveLength(1);
    const pausedAudit = await app.services.store.audit.query({ action: 'firmware.rollout.paused' }, { first: 10 });
    expect(pausedAudit.items).toHaveLength(1);
    expect(pausedAudit.items[0]).toMatchObject({ actor: null, result: 'failures' });
  });
});
