/**
 * Lock alerts (issue 10 item 5) through the real app: v2 simulated locks over
 * the embedded broker, GraphQL over HTTP and graphql-ws, the SQLite store.
 * Time-based alerts are evaluated by the alert sweep on an injected clock
 * (minutes ahead of the wall clock), never by waiting.
 */
import { once } from 'node:events';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/app/logger.js';
import { createAlertSweep } from '../src/alerts/alert-sweep.js';
import { LockAlerts } from '../src/alerts/lock-alerts.js';
import { signPayload } from '../src/devices/protocol/signature.js';
import { statusJson } from '../src/devices/protocol/messages.js';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { errorCodes, gql, signUp, wsClient, type AuthResult } from '../src/test-support/graphql-client.js';
import { UNLOCK } from '../src/test-support/lock-operations.js';
import { registerLock, startLock, type Registered } from '../src/test-support/locks.js';
import { publishStatus, rawLock } from '../src/test-support/raw-lock.js';
import { collect, eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const MINUTE = 60_000;
const BURST = 4;
const BURST_WINDOW = 5 * MINUTE;

let app: TestApp;
let owner: AuthResult;
let stranger: AuthResult;
const sims: SimulatedLock[] = [];

beforeAll(async () => {
  app = await startTestApp({ ALERT_BAD_SIGNATURES: String(BURST), ALERT_BAD_SIGNATURE_WINDOW: '5m' });
  owner = await signUp(app.httpUrl, 'alert-owner');
  stranger = await signUp(app.httpUrl, 'alert-stranger');
});
afterAll(async () => {
  for (const sim of sims) await sim.stop({ graceful: true }).catch(() => undefined);
  await app.close();
});

interface AlertView {
  kind: string;
  message: string;
  since: string;
}
const ALERTS = 'query ($d: ID!) { lock(deviceId: $d) { alerts { kind message since } alertSettings { doorAjarMinutes unlockedMinutes } } }';
async function alertsOf(deviceId: string): Promise<AlertView[]> {
  const response = await gql<{ lock: { alerts: AlertView[] } }>(app.httpUrl, ALERTS, { d: deviceId }, owner.accessToken);
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.lock.alerts;
}
const kindsOf = async (deviceId: string) => (await alertsOf(deviceId)).map((alert) => alert.kind);

const AUDIT = 'query ($f: AuditFilterInput) { auditLog(filter: $f, first: 100) { edges { node { result detail } } } }';
async function auditOf(deviceId: string, action: string): Promise<{ result: string; detail: string }[]> {
  const response = await gql<{ auditLog: { edges: { node: { result: string; detail: string } }[] } }>(app.httpUrl, AUDIT, { f: { deviceId, action } }, owner.accessToken);
  return response.data?.auditLog.edges.map((edge) => edge.node) ?? [];
}

const SET_ALERTS = 'mutation ($d: ID!, $a: LockAlertsInput!) { setLockAlerts(deviceId: $d, alerts: $a) { alertSettings { doorAjarMinutes unlockedMinutes } alerts { kind } } }';
const setAlerts = (deviceId: string, alerts: Record<string, number | null>, token = owner.accessToken) =>
  gql<{ setLockAlerts: { alertSettings: Record<string, number | null>; alerts: { kind: string }[] } }>(app.httpUrl, SET_ALERTS, { d: deviceId, a: alerts }, token);

/** The alert sweep as the scheduler runs it, with its clock `aheadMs` ahead of the wall clock. */
function sweepAhead(aheadMs: number): () => Promise<void> {
  const { store, audit, events } = app.services;
  const now = () => Date.now() + aheadMs;
  const alerts = new LockAlerts({ store, audit, events, log: createLogger('silent'), badSignatureWindowMs: BURST_WINDOW, now });
  return createAlertSweep({ store, alerts, now });
}

const stored = (deviceId: string) => app.services.store.locks.findByDeviceId(deviceId);

async function startV2(): Promise<{ lock: Registered; sim: SimulatedLock }> {
  const lock = await registerLock(app, owner.accessToken);
  const sim = await startLock(app, lock, { protocol: 2, door: 'CLOSED' });
  sims.push(sim);
  if (sim.protocolVersion !== 2) await once(sim, 'negotiated');
  await eventually(async () => (await stored(lock.deviceId))?.door === 'CLOSED');
  return { lock, sim };
}

describe('door ajar', () => {
  it('is raised once the door has stood open longer than the threshold (default 10 min), once, and clears when it closes', async () => {
    const { lock, sim } = await startV2();
    const ws = wsClient(app.wsUrl, owner.accessToken);
    const changes = collect<{ alerts: { kind: string }[] }>(ws, 'subscription ($d: ID) { lockChanged(deviceId: $d) { alerts { kind } } }', { d: lock.deviceId });
    try {
      // The subscription is live once it carries a re-announced row (an awaited event, not a sleep).
      await eventually(async () => {
        const row = await stored(lock.deviceId);
        if (row) app.services.events.publish('lock.changed', row);
        return changes.events.length > 0;
      });
      await sim.turnByHand('UNLOCKED');
      await sim.setDoor('OPEN');
      const opened = await eventually(async () => (await stored(lock.deviceId))?.doorOpenSince);
      expect(Date.now() - opened.getTime()).toBeLessThan(5000);

      await sweepAhead(9 * MINUTE)();
      expect(await kindsOf(lock.deviceId)).toEqual([]);
      // Two sweeps at once (two replicas, or a stalled job handed over): one raise, one audit entry.
      await Promise.all([sweepAhead(11 * MINUTE)(), sweepAhead(11 * MINUTE)()]);
      const [alert] = await alertsOf(lock.deviceId);
      expect(alert).toMatchObject({ kind: 'DOOR_AJAR', message: 'Door left open' });
      await changes.waitFor((event) => event.alerts.some((a) => a.kind === 'DOOR_AJAR'));

      // Idempotent: later sweeps raise nothing more.
      await sweepAhead(12 * MINUTE)();
      await eventually(async () => (await auditOf(lock.deviceId, 'lock.alertRaised')).length === 1);
      expect(await auditOf(lock.deviceId, 'lock.alertRaised')).toEqual([{ result: 'DOOR_AJAR', detail: 'Door left open' }]);

      await sim.setDoor('CLOSED');
      await eventually(async () => (await kindsOf(lock.deviceId)).length === 0);
      await changes.waitFor((event) => event.alerts.length === 0);
      await eventually(async () => (await auditOf(lock.deviceId, 'lock.alertCleared')).length === 1);
      expect((await stored(lock.deviceId))?.doorOpenSince).toBeNull();
    } finally {
      changes.stop();
      await ws.dispose();
    }
  });

  it('is not raised when the owner turned it off', async () => {
    const { lock, sim } = await startV2();
    await sim.turnByHand('UNLOCKED');
    expect((await setAlerts(lock.deviceId, { doorAjarMinutes: null })).data?.setLockAlerts.alertSettings).toEqual({ doorAjarMinutes: null, unlockedMinutes: null });
    await sim.setDoor('OPEN');
    await eventually(async () => (await stored(lock.deviceId))?.doorOpenSince);
    await sweepAhead(24 * 60 * MINUTE)();
    expect(await kindsOf(lock.deviceId)).toEqual([]);
  });
});

describe('the app\'s periodic sweep', () => {
  it('evaluates alerts after the offline sweep (the path BullMQ runs once per interval across replicas)', async () => {
    const { lock, sim } = await startV2();
    await sim.turnByHand('UNLOCKED');
    await sim.setDoor('OPEN');
    await eventually(async () => (await stored(lock.deviceId))?.doorOpenSince);
    // The store's clock cannot be moved: date the opening back instead.
    await app.services.store.locks.update(lock.deviceId, { doorOpenSince: new Date(Date.now() - 11 * MINUTE) });
    await app.sweep();
    expect(await kindsOf(lock.deviceId)).toEqual(['DOOR_AJAR']);
  });
});

describe('left unlocked', () => {
  it('is off by default, raised after the owner\'s minutes once set, and clears when locked', async () => {
    const { lock, sim } = await startV2();
    await sim.turnByHand('UNLOCKED');
    await eventually(async () => (await stored(lock.deviceId))?.unlockedSince);
    await sweepAhead(24 * 60 * MINUTE)();
    expect(await kindsOf(lock.deviceId)).toEqual([]);

    expect((await setAlerts(lock.deviceId, { unlockedMinutes: 30 })).data?.setLockAlerts.alertSettings).toEqual({ doorAjarMinutes: 10, unlockedMinutes: 30 });
    await sweepAhead(29 * MINUTE)();
    expect(await kindsOf(lock.deviceId)).toEqual([]);
    await sweepAhead(31 * MINUTE)();
    expect(await alertsOf(lock.deviceId)).toMatchObject([{ kind: 'LEFT_UNLOCKED', message: 'Left unlocked' }]);

    await sim.turnByHand('LOCKED');
    await eventually(async () => (await kindsOf(lock.deviceId)).length === 0);
    await eventually(async () => (await auditOf(lock.deviceId, 'lock.alertCleared')).some((entry) => entry.result === 'LEFT_UNLOCKED'));
  });

  it('clears at once when the owner turns it off', async () => {
    const { lock, sim } = await startV2();
    await setAlerts(lock.deviceId, { unlockedMinutes: 5 });
    await sim.turnByHand('UNLOCKED');
    await eventually(async () => (await stored(lock.deviceId))?.unlockedSince);
    await sweepAhead(6 * MINUTE)();
    expect(await kindsOf(lock.deviceId)).toEqual(['LEFT_UNLOCKED']);
    expect((await setAlerts(lock.deviceId, { unlockedMinutes: null })).data?.setLockAlerts.alerts).toEqual([]);
  });
});

describe('locked while the door was open', () => {
  it('is raised by the status itself and clears when the door closes', async () => {
    const { lock, sim } = await startV2();
    await sim.turnByHand('UNLOCKED');
    await sim.setDoor('OPEN');
    await eventually(async () => (await stored(lock.deviceId))?.door === 'OPEN');
    expect(await kindsOf(lock.deviceId)).toEqual([]);
    await sim.turnByHand('LOCKED');
    await eventually(async () => (await kindsOf(lock.deviceId)).length > 0);
    expect(await alertsOf(lock.deviceId)).toMatchObject([{ kind: 'LOCKED_DOOR_OPEN', message: 'Bolt thrown while the door is open' }]);
    await eventually(async () => (await auditOf(lock.deviceId, 'lock.alertRaised')).length === 1);
    expect(await auditOf(lock.deviceId, 'lock.alertRaised')).toEqual([{ result: 'LOCKED_DOOR_OPEN', detail: 'Bolt thrown while the door is open' }]);

    await sim.setDoor('CLOSED');
    await eventually(async () => (await kindsOf(lock.deviceId)).length === 0);
    await eventually(async () => (await auditOf(lock.deviceId, 'lock.alertCleared')).length === 1);
  });
});

describe('setLockAlerts', () => {
  it('is for the owner (or an admin): someone else gets NOT_FOUND, bad minutes BAD_USER_INPUT', async () => {
    const lock = await registerLock(app, owner.accessToken);
    expect(errorCodes(await setAlerts(lock.deviceId, { doorAjarMinutes: 5 }, stranger.accessToken))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await setAlerts('no-such-lock', { doorAjarMinutes: 5 }))).toEqual(['NOT_FOUND']);
    for (const bad of [0, -1, 7 * 24 * 60 + 1]) expect(errorCodes(await setAlerts(lock.deviceId, { doorAjarMinutes: bad }))).toEqual(['BAD_USER_INPUT']);
    expect((await stored(lock.deviceId))?.alertDoorAjarMinutes).toBe(10);
    await setAlerts(lock.deviceId, { doorAjarMinutes: 3, unlockedMinutes: 60 });
    await eventually(async () => (await auditOf(lock.deviceId, 'lock.alertSettings')).length === 1);
    expect(await auditOf(lock.deviceId, 'lock.alertSettings')).toEqual([{ result: 'ok', detail: 'door ajar 10 min → 3 min, unlocked off → 60 min' }]);
  });
});

describe('bad signatures', () => {
  it('legitimate traffic (a v1 lock; a v2 lock\'s hello, statuses, acks, door and hand turns) never counts', async () => {
    const before = await app.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_dropped_total');
    const v1Lock = await registerLock(app, owner.accessToken);
    const v1 = await startLock(app, v1Lock);
    sims.push(v1);
    const { lock, sim } = await startV2();
    await sim.setDoor('OPEN');
    await sim.setDoor('CLOSED');
    await sim.turnByHand('UNLOCKED');
    await sim.turnByHand('LOCKED');
    for (const deviceId of [lock.deviceId, v1Lock.deviceId]) {
      expect((await gql<{ unlock: { id: string } }>(app.httpUrl, UNLOCK, { d: deviceId }, owner.accessToken)).data?.unlock.id).toBeTruthy();
      await eventually(async () => (await stored(deviceId))?.status === 'UNLOCKED');
    }
    expect((await stored(lock.deviceId))?.lastChangeSource).toBe('REMOTE');
    expect(await kindsOf(v1Lock.deviceId)).toEqual([]);
    const after = await app.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_dropped_total');
    const badSignatures = (text: string) => Number(/reason="bad_signature"} (\d+)/.exec(text)?.[1] ?? 0);
    expect(badSignatures(after)).toBe(badSignatures(before));
    expect(await kindsOf(lock.deviceId)).toEqual([]);
  });

  it(`a burst of ${BURST} forged messages raises the alert; it clears a window after the burst`, async () => {
    const lock = await registerLock(app, owner.accessToken);
    const client = await rawLock(app, lock);
    try {
      const forged = (seq: number) =>
        signPayload(Buffer.from('ab'.repeat(32), 'hex'), statusJson({ v: 1, type: 'status', dev: lock.deviceId, boot: 1, seq, status: 'UNLOCKED', ctr: 0, ts: Math.floor(Date.now() / 1000) }));
      for (let seq = 1; seq < BURST; seq += 1) await publishStatus(app, client, lock, forged(seq));
      expect(await kindsOf(lock.deviceId)).toEqual([]);
      await publishStatus(app, client, lock, forged(BURST));
      const [alert] = await eventually(async () => {
        const alerts = await alertsOf(lock.deviceId);
        return alerts.length > 0 ? alerts : null;
      });
      expect(alert).toMatchObject({ kind: 'BAD_SIGNATURES', message: 'Messages with bad signatures' });

      await sweepAhead(BURST_WINDOW - MINUTE)();
      expect(await kindsOf(lock.deviceId)).toEqual(['BAD_SIGNATURES']);
      await sweepAhead(BURST_WINDOW + MINUTE)();
      expect(await kindsOf(lock.deviceId)).toEqual([]);
      await eventually(async () => (await auditOf(lock.deviceId, 'lock.alertCleared')).some((entry) => entry.result === 'BAD_SIGNATURES'));
    } finally {
      await client.endAsync();
    }
  });
});
