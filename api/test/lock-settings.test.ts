/**
 * The owner's lock settings (issue 10 item 4, docs/protocol.md §11.7): the
 * setLockSettings mutation through the real app, delivered as a signed cfg to
 * simulated v2 locks over the embedded broker, kept pending for a v1 lock.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/app/logger.js';
import type { LockLink } from '../src/devices/broker/lock-link.js';
import { LockConfig } from '../src/devices/lock-config.js';
import { LockSettingsService } from '../src/locks/lock-settings.service.js';
import { deriveKey } from '../src/devices/protocol/keys.js';
import { statusV2Json } from '../src/devices/protocol/messages-v2.js';
import { signPayload } from '../src/devices/protocol/signature.js';
import { MemoryCounterStore } from '../src/simulator/counter-store.js';
import { onlineRawLock, publishStatus } from '../src/test-support/raw-lock.js';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { gql, SIGN_IN, signUp, wsClient, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, startLock, type Registered } from '../src/test-support/locks.js';
import { collect, eventually as eventuallyWithin } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

/** Broker round trips through simulated locks: roomier than the default 5 s on a loaded machine. */
const eventually = <T>(probe: () => Promise<T | null | undefined | false>): Promise<T> => eventuallyWithin(probe, 15_000);

let app: TestApp;
let owner: AuthResult;
let mallory: AuthResult;
let admin: AuthResult;
const sims: SimulatedLock[] = [];

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here' });
  owner = await signUp(app.httpUrl, 'owner');
  mallory = await signUp(app.httpUrl, 'mallory');
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' })).data!.signIn;
});
afterAll(async () => {
  for (const sim of sims) await sim.stop({ graceful: true }).catch(() => undefined);
  await app.close();
});

interface SettingsView {
  autoRelockSeconds: number;
  bootAction: string;
  lockWhileDoorOpen: string;
  state: string;
  settingsApplied: boolean;
  rejectedReason: string | null;
  updatedBy: string;
}
const FIELDS = 'autoRelockSeconds bootAction lockWhileDoorOpen state settingsApplied rejectedReason updatedBy';
const SET = `mutation ($d: ID!, $s: LockSettingsInput!) { setLockSettings(deviceId: $d, settings: $s) { ${FIELDS} lock { deviceId } } }`;
const GET = `query ($d: ID!) { lock(deviceId: $d) { settings { ${FIELDS} } } }`;

const WANTED = { autoRelockSeconds: 30, bootAction: 'STAY', lockWhileDoorOpen: 'REFUSE' };

function setSettings(deviceId: string, settings: Record<string, unknown> = WANTED, token = owner.accessToken) {
  return gql<{ setLockSettings: SettingsView }>(app.httpUrl, SET, { d: deviceId, s: settings }, token);
}
async function settingsOf(deviceId: string): Promise<SettingsView | null | undefined> {
  return (await gql<{ lock: { settings: SettingsView | null } }>(app.httpUrl, GET, { d: deviceId }, owner.accessToken)).data?.lock.settings;
}
const audits = async (deviceId: string, action: string) =>
  (await app.services.store.audit.query({ deviceId, action }, { first: 50 })).items;

async function startV2(lock: Registered, state = new MemoryCounterStore()): Promise<SimulatedLock> {
  const sim = await startLock(app, lock, { protocol: 2, door: 'CLOSED', state });
  sims.push(sim);
  if (sim.protocolVersion !== 2) await once(sim, 'negotiated');
  await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.protocolVersion === 2);
  return sim;
}

describe('setLockSettings', () => {
  it('sends a connected v2 lock a signed cfg at once; its ack marks the settings applied; a change is pending again', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const sim = await startV2(lock);
    const configured = once(sim, 'configured');
    const answer = await setSettings(lock.deviceId);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.setLockSettings).toMatchObject({ ...WANTED, updatedBy: 'owner' });
    expect(await configured).toEqual([{ relock: 30, boot: 'STAY', lockOpen: 'REFUSE' }]);
    expect(await eventually(async () => ((await settingsOf(lock.deviceId))?.settingsApplied ? settingsOf(lock.deviceId) : null))).toMatchObject({
      state: 'APPLIED',
      settingsApplied: true,
    });
    expect(await audits(lock.deviceId, 'lock.settings')).toMatchObject([
      { actor: 'owner', result: 'PENDING', detail: 'relock 30 s, boot STAY, lockOpen REFUSE' },
    ]);

    const reconfigured = once(sim, 'configured');
    const changed = await setSettings(lock.deviceId, { autoRelockSeconds: 0, bootAction: 'LOCK', lockWhileDoorOpen: 'ALLOW' });
    expect(changed.data?.setLockSettings).toMatchObject({ autoRelockSeconds: 0, bootAction: 'LOCK', lockWhileDoorOpen: 'ALLOW' });
    expect(await reconfigured).toEqual([{ relock: 0, boot: 'LOCK', lockOpen: 'ALLOW' }]);
    await eventually(async () => (await settingsOf(lock.deviceId))?.state === 'APPLIED');
  });

  it('keeps them pending for a v2 lock that is offline, and sends them after its next welcome, once', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const state = new MemoryCounterStore();
    const first = await startV2(lock, state);
    await first.stop({ graceful: true });
    await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.state === 'UNAVAILABLE');

    const answer = await setSettings(lock.deviceId, { autoRelockSeconds: 120, bootAction: 'STAY', lockWhileDoorOpen: 'REFUSE' });
    expect(answer.data?.setLockSettings).toMatchObject({ state: 'PENDING', settingsApplied: false });
    expect(await audits(lock.deviceId, 'lock.configure')).toHaveLength(0); // nothing sent to an offline lock

    // It reboots and says hello: the welcome is followed by the cfg.
    const configured = once(first, 'configured');
    await first.start();
    expect(await configured).toEqual([{ relock: 120, boot: 'STAY', lockOpen: 'REFUSE' }]);
    await eventually(async () => (await settingsOf(lock.deviceId))?.state === 'APPLIED');
    expect(await audits(lock.deviceId, 'lock.configure')).toHaveLength(1);
    expect(await audits(lock.deviceId, 'lock.configured')).toMatchObject([{ result: 'ok' }]);

    // Applied: the next boot's welcome sends nothing. The status after it is handled after the hello.
    await first.stop({ graceful: true });
    await first.start();
    await first.turnByHand('UNLOCKED');
    await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.lastChangeSource === 'MANUAL');
    expect(await audits(lock.deviceId, 'lock.configure')).toHaveLength(1);
  });

  it("shows a rejection with the lock's reason, ignores an ack of an older cfg, and sends them again at the next welcome", async () => {
    const lock = await registerLock(app, owner.accessToken);
    const state = new MemoryCounterStore();
    const sim = await startV2(lock, state);
    await sim.stop({ graceful: true });
    await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.state === 'UNAVAILABLE');
    await setSettings(lock.deviceId);
    // As if a cfg had been sent and the lock's accepted status answered it (the simulator never rejects one).
    const row = await app.services.store.locks.findByDeviceId(lock.deviceId);
    if (!row) throw new Error('no row');
    expect(await app.services.store.lockSettings.markSent(lock.deviceId, 1, 'cfg-sent')).toBe(true);
    await app.services.lockSettings.acked(row, { id: 'cfg-older', result: 'ok' });
    expect(await settingsOf(lock.deviceId)).toMatchObject({ state: 'PENDING', settingsApplied: false });
    await app.services.lockSettings.acked(row, { id: 'cfg-sent', result: 'rejected', reason: 'storage' });
    expect(await settingsOf(lock.deviceId)).toMatchObject({ state: 'REJECTED', settingsApplied: false, rejectedReason: 'storage' });

    const configured = once(sim, 'configured');
    await sim.start();
    await configured;
    expect(await eventually(async () => ((await settingsOf(lock.deviceId))?.settingsApplied ? settingsOf(lock.deviceId) : null))).toMatchObject({
      state: 'APPLIED',
      rejectedReason: null,
    });
  });

  it("counts the lock's answer from a status dropped as stale (no time yet after a reboot), and only once", async () => {
    const { lock, client } = await onlineRawLock(app, owner.accessToken);
    try {
      // As if welcomed into v2 (the ingest's cache follows lock.changed).
      const v2Row = await app.services.store.locks.update(lock.deviceId, { protocolVersion: 2, protocolBoot: 1 });
      if (!v2Row) throw new Error('no row');
      app.services.events.publish('lock.changed', v2Row);
      await app.services.store.lockSettings.save(lock.deviceId, { relock: 30, boot: 'STAY', lockOpen: 'REFUSE' }, 'owner');
      await app.services.store.lockSettings.markSent(lock.deviceId, 1, 'cfg-recorded');
      const dropped = async (reason: string) => {
        const text = await app.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_dropped_total');
        return Number(new RegExp(`reason="${reason}"} (\\d+)`).exec(text)?.[1] ?? 0);
      };
      const [stale, replays] = [await dropped('stale'), await dropped('replay')];
      const status = statusV2Json({
        v: 2, type: 'status', dev: lock.deviceId, boot: 2, seq: 1, status: 'LOCKED', door: 'CLOSED', src: 'BOOT', ctr: 1, ts: 0,
        ack: { id: 'cfg-recorded', result: 'ok' },
      });
      const signed = signPayload(deriveKey(Buffer.from(lock.deviceSecret, 'hex'), 'status'), status);
      await publishStatus(app, client, lock, signed);
      await eventually(async () => (await dropped('stale')) === stale + 1);
      expect(await settingsOf(lock.deviceId)).toMatchObject({ state: 'APPLIED' });
      expect(await audits(lock.deviceId, 'lock.configured')).toMatchObject([{ result: 'ok', detail: 'cfg-recorded' }]);

      await publishStatus(app, client, lock, signed); // the same again: a replay, or a stale repeat
      await eventually(async () => (await dropped('stale')) + (await dropped('replay')) === stale + replays + 2);
      expect(await audits(lock.deviceId, 'lock.configured')).toHaveLength(1);
    } finally {
      await client.endAsync();
    }
  });

  it('stores them for a v1 lock as NEEDS_PROTOCOL_V2, not an error, and sends nothing', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const sim = await startLock(app, lock);
    sims.push(sim);
    await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.state === 'AVAILABLE');
    const answer = await setSettings(lock.deviceId);
    expect(answer.errors).toBeUndefined();
    expect(answer.data?.setLockSettings).toMatchObject({ ...WANTED, state: 'NEEDS_PROTOCOL_V2', settingsApplied: false });
    expect(await settingsOf(lock.deviceId)).toMatchObject({ state: 'NEEDS_PROTOCOL_V2' });
    expect(await audits(lock.deviceId, 'lock.settings')).toMatchObject([{ actor: 'owner', result: 'NEEDS_PROTOCOL_V2' }]);
    expect(await audits(lock.deviceId, 'lock.configure')).toHaveLength(0);

    // Its firmware is updated to speak v2: the first welcome brings the stored settings.
    await sim.stop({ graceful: true });
    const upgraded = await startLock(app, lock, { protocol: 2, door: 'CLOSED' });
    sims.push(upgraded);
    const configured = once(upgraded, 'configured');
    if (upgraded.protocolVersion !== 2) await once(upgraded, 'negotiated');
    expect(await configured).toEqual([{ relock: 30, boot: 'STAY', lockOpen: 'REFUSE' }]);
    await eventually(async () => (await settingsOf(lock.deviceId))?.state === 'APPLIED');
  });

  it('shows NEEDS_PROTOCOL_V2 for a lock that went back to v1 firmware, and sends them again when it speaks v2 again', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const state = new MemoryCounterStore();
    const v2 = await startV2(lock, state);
    const configured = once(v2, 'configured');
    await setSettings(lock.deviceId);
    await configured;
    await eventually(async () => (await settingsOf(lock.deviceId))?.state === 'APPLIED');
    await v2.stop({ graceful: true });

    const v1 = await startLock(app, lock, { state }); // a new boot without a hello
    sims.push(v1);
    await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.protocolVersion === 1);
    expect(await settingsOf(lock.deviceId)).toMatchObject({ state: 'NEEDS_PROTOCOL_V2', settingsApplied: false });
    await v1.stop({ graceful: true });

    const reconfigured = once(v2, 'configured');
    await v2.start();
    await reconfigured;
    await eventually(async () => (await settingsOf(lock.deviceId))?.state === 'APPLIED');
    expect(await audits(lock.deviceId, 'lock.configure')).toHaveLength(2);
  });

  it('sends one cfg at a time per lock, so the cfg recorded last is the one published last, with the highest ctr', async () => {
    const lock = await registerLock(app, owner.accessToken);
    await app.services.store.locks.update(lock.deviceId, { protocolVersion: 2 });
    await app.services.store.lockSettings.save(lock.deviceId, { relock: 30, boot: 'STAY', lockOpen: 'REFUSE' }, 'owner');
    const row = await app.services.store.locks.findByDeviceId(lock.deviceId);
    if (!row) throw new Error('no row');
    // A link whose first publish hangs until released: the second delivery must wait for it.
    const published: { id: string; ctr: number }[] = [];
    let heldOnce = false;
    let release: () => void = () => undefined;
    const firstHeld = new Promise<void>((resolve) => (release = resolve));
    const link: LockLink = {
      start: async () => {},
      stop: async () => {},
      onMessage: () => {},
      isConnected: () => true,
      publish: async (_topic, payload) => {
        const cfg = JSON.parse(payload) as { id: string; ctr: number };
        if (!heldOnce) {
          heldOnce = true;
          await firstHeld;
        }
        published.push({ id: cfg.id, ctr: cfg.ctr });
      },
    };
    const { store, keys, audit, events } = app.services;
    const log = createLogger('silent');
    const lockConfig = new LockConfig({ store, keys, link, topics: app.topics, audit, log });
    const service = new LockSettingsService({ store, locks: app.services.locks, lockConfig, audit, events, log });
    const before = { ...row, protocolVersion: 1 as const }; // just back from v1: re-sent even if applied

    const first = service.afterWelcome(row, before);
    await eventually(async () => heldOnce);
    const second = service.afterWelcome(row, before);
    await new Promise((resolve) => setImmediate(resolve)); // let the second run as far as it can
    release();
    await Promise.all([first, second]);
    expect(published).toHaveLength(2);
    expect(published[1]!.ctr).toBeGreaterThan(published[0]!.ctr);
    expect((await store.lockSettings.find(lock.deviceId))?.cfgId).toBe(published[1]!.id);
  });

  it('tells lockChanged subscribers when the lock has applied them', async () => {
    const lock = await registerLock(app, owner.accessToken);
    await startV2(lock);
    const client = wsClient(app.wsUrl, owner.accessToken);
    try {
      const changes = collect<{ settings: { state: string } | null }>(client, 'subscription ($d: ID) { lockChanged(deviceId: $d) { settings { state } } }', { d: lock.deviceId });
      // The subscription is live once a change made after it arrives.
      await eventually(async () => {
        const row = await app.services.store.locks.findByDeviceId(lock.deviceId);
        if (row) app.services.events.publish('lock.changed', row);
        return changes.events.length > 0;
      });
      await setSettings(lock.deviceId);
      await changes.waitFor((event) => event.settings?.state === 'APPLIED');
      expect(changes.errors).toEqual([]);
    } finally {
      await client.dispose();
    }
  });

  it('answers NOT_FOUND to another user, as for a missing lock, and changes nothing; an admin may set them', async () => {
    const lock = await registerLock(app, owner.accessToken);
    const foreign = await setSettings(lock.deviceId, WANTED, mallory.accessToken);
    const missing = await setSettings('no-such-lock', WANTED, mallory.accessToken);
    expect(foreign.errors?.[0]?.extensions?.code).toBe('NOT_FOUND');
    expect(foreign.errors?.[0]?.message).toBe(missing.errors?.[0]?.message.replace('no-such-lock', lock.deviceId));
    expect(await settingsOf(lock.deviceId)).toBeNull();
    expect(await audits(lock.deviceId, 'lock.settings')).toHaveLength(0);

    const byAdmin = await setSettings(lock.deviceId, WANTED, admin.accessToken);
    expect(byAdmin.data?.setLockSettings).toMatchObject({ updatedBy: 'root', state: 'NEEDS_PROTOCOL_V2' });
  });

  it.each([
    [{ ...WANTED, autoRelockSeconds: -1 }, 'autoRelockSeconds'],
    [{ ...WANTED, autoRelockSeconds: 3601 }, 'autoRelockSeconds'],
  ])('refuses out-of-range values with BAD_USER_INPUT naming the field (%o)', async (settings, field) => {
    const lock = await registerLock(app, owner.accessToken);
    const answer = await setSettings(lock.deviceId, settings);
    expect(answer.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field });
    expect(await settingsOf(lock.deviceId)).toBeNull();
  });

  it('refuses an unknown enum value or a fractional number before any resolver runs', async () => {
    const lock = await registerLock(app, owner.accessToken);
    for (const settings of [{ ...WANTED, bootAction: 'SPIN' }, { ...WANTED, lockWhileDoorOpen: 'MAYBE' }, { ...WANTED, autoRelockSeconds: 1.5 }]) {
      const answer = await setSettings(lock.deviceId, settings);
      expect(answer.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    }
    expect(await settingsOf(lock.deviceId)).toBeNull();
  });
});
