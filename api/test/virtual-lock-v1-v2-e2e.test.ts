/**
 * A protocol v1 virtual lock (`--protocol 1`) and a v2 one (speaks 1 and 2, welcomed into 2) against
 * one real api: both obey commands; the v2 one reports its door and a turn by hand, and GraphQL shows
 * them (issue 10). Skipped like virtual-lock-e2e.test.ts when the firmware cannot be built here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, type Registered } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { COMMAND, LOCK, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { BUILD_TIMEOUT_MS, buildVirtualLock, VirtualLock, WAIT_MS } from '../src/test-support/virtual-lock.js';

const DOOR_QUERY = 'query ($d: ID!) { lock(deviceId: $d) { status state door boltMotion lastChangeSource lastChangedBy lastChangedAt } }';

interface DoorView {
  status: string;
  state: string;
  door: string | null;
  boltMotion: string | null;
  lastChangeSource: string | null;
  lastChangedBy: string | null;
  lastChangedAt: string | null;
}

let skipReason: string | undefined;
let app: TestApp;
let alice: AuthResult;
let stateRoot: string;
const locks: VirtualLock[] = [];
let v1: { registered: Registered; lock: VirtualLock };
let v2: { registered: Registered; lock: VirtualLock };

beforeAll(async () => {
  skipReason = await buildVirtualLock();
  if (skipReason) {
    process.stderr.write(`virtual-lock v1/v2 e2e skipped: ${skipReason}\n`);
    return;
  }
  stateRoot = mkdtempSync(path.join(tmpdir(), 'smartlock-v1v2-'));
  app = await startTestApp();
  alice = await signUp(app.httpUrl, 'alice');
}, BUILD_TIMEOUT_MS + 30_000);

afterAll(async () => {
  for (const lock of locks) await lock.kill('SIGKILL');
  await app?.close();
  if (stateRoot) rmSync(stateRoot, { recursive: true, force: true });
});

function skipIfUnbuilt(ctx: TestContext): void {
  if (skipReason) ctx.skip(skipReason);
}

async function start(name: string, args: readonly string[]): Promise<{ registered: Registered; lock: VirtualLock }> {
  const registered = await registerLock(app, alice.accessToken, `vl-${name}`, name);
  const stateDir = path.join(stateRoot, name);
  const lock = new VirtualLock(app.brokerUrl, app.topics.prefix, registered, mkdtempSync(`${stateDir}-`), args);
  locks.push(lock);
  return { registered, lock };
}

async function view(deviceId: string): Promise<DoorView> {
  const response = await gql<{ lock: DoorView }>(app.httpUrl, DOOR_QUERY, { d: deviceId }, alice.accessToken);
  if (!response.data?.lock) throw new Error(`lock query failed: ${JSON.stringify(response.errors)}`);
  return response.data.lock;
}

/** Polls GraphQL until the lock matches `expected` (each check is one HTTP round trip, no sleeps). */
function until(deviceId: string, expected: Partial<DoorView>): Promise<DoorView> {
  return eventually(async () => {
    const current = await view(deviceId);
    return Object.entries(expected).every(([key, value]) => current[key as keyof DoorView] === value) ? current : null;
  }, WAIT_MS);
}

async function command(operation: string, deviceId: string): Promise<CommandView> {
  const sent = await gql<Record<string, CommandView>>(app.httpUrl, operation, { d: deviceId }, alice.accessToken);
  const created = sent.data ? Object.values(sent.data)[0] : undefined;
  if (!created) throw new Error(`command refused: ${JSON.stringify(sent.errors)}`);
  return eventually(async () => {
    const response = await gql<{ command: CommandView }>(app.httpUrl, COMMAND, { id: created.id }, alice.accessToken);
    const current = response.data?.command;
    return current && current.state !== 'SENT' ? current : null;
  }, WAIT_MS);
}

describe('a v1 and a v2 virtual lock against one api', () => {
  it('both come online; the v2 one is welcomed into v2 and reports its door, the v1 one reports none', async (ctx) => {
    skipIfUnbuilt(ctx);
    v1 = await start('old-door', ['--protocol', '1']);
    v2 = await start('new-door', ['--protocol', '2']);
    await v1.lock.waitForLine('LED red (LOCKED)');
    await v2.lock.waitForLine('LED red (LOCKED)');
    await until(v2.registered.deviceId, { state: 'AVAILABLE', status: 'LOCKED', door: 'CLOSED' });
    expect(await until(v1.registered.deviceId, { state: 'AVAILABLE', status: 'LOCKED' })).toMatchObject({ door: null, lastChangeSource: null, boltMotion: null });
    expect(await app.services.store.locks.findByDeviceId(v1.registered.deviceId)).toMatchObject({ protocolVersion: 1 });
    expect(await app.services.store.locks.findByDeviceId(v2.registered.deviceId)).toMatchObject({ protocolVersion: 2 });
  });

  it('both unlock and lock through GraphQL (SUCCEEDED); the v2 one names alice as who unlocked it', async (ctx) => {
    skipIfUnbuilt(ctx);
    for (const { registered, lock } of [v1, v2]) {
      const mark = lock.lines.length;
      expect(await command(UNLOCK, registered.deviceId)).toMatchObject({ action: 'UNLOCK', state: 'SUCCEEDED' });
      await lock.waitForLine('LED green (UNLOCKED)', mark);
    }
    expect(await until(v2.registered.deviceId, { status: 'UNLOCKED', boltMotion: null })).toMatchObject({ lastChangeSource: 'REMOTE', lastChangedBy: 'alice' });
    expect(await until(v1.registered.deviceId, { status: 'UNLOCKED' })).toMatchObject({ lastChangeSource: null, lastChangedBy: null });
    for (const { registered, lock } of [v1, v2]) {
      const mark = lock.lines.length;
      expect(await command(LOCK, registered.deviceId)).toMatchObject({ action: 'LOCK', state: 'SUCCEEDED' });
      await lock.waitForLine('LED red (LOCKED)', mark);
    }
    await until(v2.registered.deviceId, { status: 'LOCKED', lastChangeSource: 'REMOTE', lastChangedBy: 'alice' });
    await until(v1.registered.deviceId, { status: 'LOCKED' });
  });

  it('shows the v2 door open and closed as the sensor reports it (stdin "door open"/"door closed")', async (ctx) => {
    skipIfUnbuilt(ctx);
    v2.lock.hand('door open');
    expect(await until(v2.registered.deviceId, { door: 'OPEN' })).toMatchObject({ status: 'LOCKED', state: 'AVAILABLE' });
    v2.lock.hand('door closed');
    await until(v2.registered.deviceId, { door: 'CLOSED' });
  });

  it('shows a turn by hand as MANUAL, with nobody named', async (ctx) => {
    skipIfUnbuilt(ctx);
    const before = await view(v2.registered.deviceId);
    let mark = v2.lock.lines.length;
    v2.lock.hand('turn unlock');
    await v2.lock.waitForLine('LED green (UNLOCKED)', mark);
    expect(await until(v2.registered.deviceId, { status: 'UNLOCKED', lastChangeSource: 'MANUAL' })).toMatchObject({ lastChangedBy: null, door: 'CLOSED' });
    mark = v2.lock.lines.length;
    v2.lock.hand('turn lock');
    await v2.lock.waitForLine('LED red (LOCKED)', mark);
    const turned = await until(v2.registered.deviceId, { status: 'LOCKED', lastChangeSource: 'MANUAL' });
    expect(turned).toMatchObject({ lastChangedBy: null });
    // The time of the change moves on with each turn ("Locked by hand · 2 min ago").
    expect(Date.parse(turned.lastChangedAt ?? '')).toBeGreaterThan(Date.parse(before.lastChangedAt ?? ''));
  });

  it('the v2 lock refuses to throw its bolt into an open door; the v1 lock is unaffected', async (ctx) => {
    skipIfUnbuilt(ctx);
    expect(await command(UNLOCK, v2.registered.deviceId)).toMatchObject({ state: 'SUCCEEDED' });
    v2.lock.hand('door open');
    await until(v2.registered.deviceId, { door: 'OPEN', status: 'UNLOCKED' });
    const refused = await command(LOCK, v2.registered.deviceId);
    expect(refused).toMatchObject({ action: 'LOCK', state: 'REJECTED', reason: 'door_open' });
    expect(await view(v2.registered.deviceId)).toMatchObject({ status: 'UNLOCKED', door: 'OPEN' });
    expect(await command(UNLOCK, v1.registered.deviceId)).toMatchObject({ state: 'SUCCEEDED' });
    expect(v1.lock.alive && v2.lock.alive).toBe(true);
  });
});
