/**
 * Lock diagnostics through real HTTP: a simulated lock reports battery, signal, uptime and firmware;
 * the api keeps a sampled history (not a row per heartbeat) with its online/offline transitions and
 * shows it to the owner and admins only.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, startLock, type Registered } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';

const DIAGNOSTICS = `query ($d: ID!, $r: DiagnosticsRange!) {
  lock(deviceId: $d) { diagnostics(range: $r) { range from to uptime firmware battery rssi points { at online battery rssi } } } }`;

interface Point {
  at: string;
  online: boolean;
  battery: number | null;
  rssi: number | null;
}
interface Diagnostics {
  range: string;
  from: string;
  to: string;
  uptime: number | null;
  firmware: string | null;
  battery: number | null;
  rssi: number | null;
  points: Point[];
}

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
let admin: AuthResult;
let lock: Registered;
let sim: SimulatedLock | undefined;

async function diagnostics(token: string, range: 'DAY' | 'WEEK' = 'DAY') {
  return gql<{ lock: { diagnostics: Diagnostics } }>(app.httpUrl, DIAGNOSTICS, { d: lock.deviceId, r: range }, token);
}
async function diagnosticsOf(token: string, range: 'DAY' | 'WEEK' = 'DAY'): Promise<Diagnostics> {
  const response = await diagnostics(token, range);
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.lock.diagnostics;
}

beforeAll(async () => {
  app = await startTestApp({ ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'root password here', HEARTBEAT_FLUSH_MS: '50', DIAGNOSTICS_SAMPLE_INTERVAL: '10m' });
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
  admin = (await gql<{ signIn: AuthResult }>(app.httpUrl, SIGN_IN, { username: 'root', password: 'root password here' })).data!.signIn;
  lock = await registerLock(app, alice.accessToken);
});

afterAll(async () => {
  await sim?.stop({ graceful: true });
  await app?.close();
});

describe('lock diagnostics', () => {
  it('shows the readings and one point for many heartbeats, then offline and online again', async () => {
    expect((await diagnosticsOf(alice.accessToken)).points).toEqual([]);
    sim = await startLock(app, lock, { heartbeatMs: 50, battery: 90, rssi: -61, firmware: 'sim-7.1.0' });
    // Twenty heartbeats or so: each is accepted, but sampling keeps one point in ten minutes.
    await eventually(async () => ((await app.services.store.locks.findByDeviceId(lock.deviceId))?.lastSeq ?? 0) >= 20, 10_000);
    await eventually(async () => (await diagnosticsOf(alice.accessToken)).points.length === 1);
    const first = await diagnosticsOf(alice.accessToken);
    expect(first).toMatchObject({ range: 'DAY', firmware: 'sim-7.1.0', battery: 90, rssi: -61 });
    expect(first.points.map(({ online, battery, rssi }) => ({ online, battery, rssi }))).toEqual([{ online: true, battery: 90, rssi: -61 }]);
    expect(Date.parse(first.points[0]?.at ?? '')).toBeGreaterThan(Date.parse(first.from));
    expect(first.uptime).toBeGreaterThanOrEqual(0);
    expect(Date.parse(first.to) - Date.parse(first.from)).toBe(24 * 3_600_000);

    // The connection dies: the will makes the lock Unavailable, which the history records.
    await sim.stop({ graceful: false });
    await eventually(async () => (await diagnosticsOf(alice.accessToken)).points.length === 2, 10_000);
    const offline = await diagnosticsOf(alice.accessToken);
    expect(offline.points[1]).toMatchObject({ online: false, battery: null, rssi: null });
    expect(offline.uptime).toBeNull();

    await sim.start();
    await eventually(async () => (await diagnosticsOf(alice.accessToken)).points.length === 3, 10_000);
    expect((await diagnosticsOf(alice.accessToken)).points.map((p) => p.online)).toEqual([true, false, true]);
  });

  it('covers seven days with range WEEK', async () => {
    const week = await diagnosticsOf(alice.accessToken, 'WEEK');
    expect(week.range).toBe('WEEK');
    expect(Date.parse(week.to) - Date.parse(week.from)).toBe(7 * 24 * 3_600_000);
    expect(week.points.length).toBeGreaterThanOrEqual(3);
  });

  it('follows the lock\'s access rules: admins see it, anyone else gets NOT_FOUND', async () => {
    expect((await diagnosticsOf(admin.accessToken)).firmware).toBe('sim-7.1.0');
    const other = await diagnostics(bob.accessToken);
    expect(errorCodes(other)).toEqual(['NOT_FOUND']);
    expect(other.data).toBeNull();
  });
});
