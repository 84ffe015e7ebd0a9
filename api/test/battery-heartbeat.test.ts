/**
 * Power profiles (docs/protocol.md §13.4): a v3 lock announces its heartbeat interval (`hb`) in
 * every status, and the server's offline sweep (the real scheduler, short intervals) follows it per
 * lock: OFFLINE_AFTER_MS plus two intervals beyond 9 s. A lock that says nothing keeps the mains
 * rule; `hb` outside 9 … 300 s, or in a v2 status, makes the status malformed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { statusMessageV2 } from '../src/devices/protocol/messages-v2.js';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, startLock, type Registered } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const OFFLINE_AFTER_MS = 1000;
const LOCK = 'query ($d: ID!) { lock(deviceId: $d) { heartbeatSeconds power lowBattery battery issue } }';

let app: TestApp;
let alice: AuthResult;
const sims: SimulatedLock[] = [];

beforeAll(async () => {
  app = await startTestApp({ OFFLINE_AFTER_MS: String(OFFLINE_AFTER_MS), OFFLINE_SWEEP_MS: '100', HEARTBEAT_FLUSH_MS: '100' });
  alice = await signUp(app.httpUrl, 'alice');
});
afterAll(async () => {
  for (const sim of sims) await sim.stop({ graceful: false }).catch(() => undefined);
  await app?.close();
});

const stored = (deviceId: string) => app.services.store.locks.findByDeviceId(deviceId);

/** A v3 lock that sent its v3 status and then stays silent for the test (its heartbeat is 10 s). */
async function silentV3Lock(announceHeartbeatS?: number, extra: { battery?: number; power?: 'MAINS' | 'BATTERY' | 'LOW' } = {}): Promise<Registered> {
  const lock = await registerLock(app, alice.accessToken);
  const sim = await startLock(app, lock, { protocol: 3, heartbeatMs: 10_000, ...(announceHeartbeatS ? { announceHeartbeatS } : {}), ...extra });
  sims.push(sim);
  await eventually(async () => {
    const row = await stored(lock.deviceId);
    return row?.protocolVersion === 3 && row.state === 'AVAILABLE' && sim.protocolVersion === 3 && row.heartbeatS === (announceHeartbeatS ?? null);
  }, 10_000);
  return lock;
}

async function offlineAudit(deviceId: string) {
  return eventually(async () => (await app.services.store.audit.query({ deviceId, action: 'lock.offline' }, { first: 1 })).items[0], 10_000);
}

describe('the offline rule per lock', () => {
  it('gives a battery lock announcing hb 10 s two more intervals of silence than a mains lock', async () => {
    const [battery, mains] = await Promise.all([silentV3Lock(10, { power: 'BATTERY', battery: 80 }), silentV3Lock()]);

    const silence = async (deviceId: string) => {
      const audit = await offlineAudit(deviceId);
      expect(audit.detail).toBe('No heartbeat');
      return audit.at.getTime() - ((await stored(deviceId))?.lastSeen?.getTime() ?? 0);
    };
    // Timed from each lock's own last status, so a slow start of either cannot make this flaky.
    const [batterySilenceMs, mainsSilenceMs] = await Promise.all([silence(battery.deviceId), silence(mains.deviceId)]);
    // The mains rule: OFFLINE_AFTER_MS (the sweep runs every 100 ms; 2 s of slack for a loaded machine).
    expect(mainsSilenceMs).toBeGreaterThanOrEqual(OFFLINE_AFTER_MS);
    expect(mainsSilenceMs).toBeLessThan(OFFLINE_AFTER_MS + 2000);
    // hb 10: OFFLINE_AFTER_MS + 2 × (10 − 9) s, never earlier.
    expect(batterySilenceMs).toBeGreaterThanOrEqual(OFFLINE_AFTER_MS + 2000);
    expect(await stored(battery.deviceId)).toMatchObject({ state: 'UNAVAILABLE', issue: 'No heartbeat' });
  });

  it('shows the interval, the power profile and a low battery in GraphQL', async () => {
    const battery = await silentV3Lock(60, { power: 'LOW', battery: 7 });
    const mains = await silentV3Lock(undefined, { power: 'MAINS' });
    const read = async (deviceId: string) => (await gql<{ lock: Record<string, unknown> }>(app.httpUrl, LOCK, { d: deviceId }, alice.accessToken)).data?.lock;
    expect(await read(battery.deviceId)).toMatchObject({ heartbeatSeconds: 60, power: 'LOW', lowBattery: true, battery: 7 });
    expect(await read(mains.deviceId)).toMatchObject({ heartbeatSeconds: 9, power: 'MAINS', lowBattery: false });
  });
});

describe('the hb member', () => {
  const v3 = { v: 3, type: 'status', dev: 'lock-1', boot: 1, seq: 1, status: 'LOCKED', door: 'CLOSED', src: 'BOOT', ctr: 0, ts: 1 } as const;

  it('is accepted in v3 from 9 to 300 s', () => {
    for (const hb of [9, 60, 300]) expect(statusMessageV2.safeParse({ ...v3, hb }).success).toBe(true);
  });

  it('makes the status malformed outside its bounds, as a fraction, or in a v2 status', () => {
    for (const hb of [8, 301, 0, 12.5]) expect(statusMessageV2.safeParse({ ...v3, hb }).success).toBe(false);
    expect(statusMessageV2.safeParse({ ...v3, v: 2, hb: 60 }).success).toBe(false);
  });
});
