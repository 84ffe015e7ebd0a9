/**
 * End to end with the firmware's own core: the real api (embedded aedes broker with per-device
 * auth and ACL), a lock registered through GraphQL, and firmware/build/virtual-lock running with
 * that lock's credentials. Needs g++, doctest-dev, libmbedtls-dev and libmosquitto-dev (the
 * firmware Makefile names what is missing); without them the suite is skipped, or fails when CI=true.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { gql, signUp, wsClient, wsQuery, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock, type Registered } from '../src/test-support/locks.js';
import { collect, eventually, type Collected } from '../src/test-support/subscriptions.js';
import { COMMAND, LOCK, LOCK_CHANGED, LOCK_QUERY, UNLOCK, type CommandView, type LockEvent } from '../src/test-support/lock-operations.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { BUILD_TIMEOUT_MS, buildVirtualLock, VirtualLock, WAIT_MS } from '../src/test-support/virtual-lock.js';

let skipReason: string | undefined;
let app: TestApp;
let alice: AuthResult;
let registered: Registered;
let stateDir: string;
let socket: Client;
let changes: Collected<LockEvent>;
let lock: VirtualLock | undefined;

beforeAll(async () => {
  skipReason = await buildVirtualLock();
  if (skipReason) {
    process.stderr.write(`virtual-lock e2e skipped: ${skipReason}\n`);
    return;
  }
  stateDir = mkdtempSync(path.join(tmpdir(), 'smartlock-virtual-lock-'));
  app = await startTestApp();
  alice = await signUp(app.httpUrl, 'alice');
  registered = await registerLock(app, alice.accessToken);
  socket = wsClient(app.wsUrl, alice.accessToken);
  changes = collect<LockEvent>(socket, LOCK_CHANGED, { d: registered.deviceId });
  // A round trip on the same socket after subscribing: graphql-ws handles one socket's messages
  // in order, so the subscription is in place before the lock starts (no fixed sleep).
  const initial = await wsQuery<{ lock: LockEvent }>(socket, LOCK_QUERY, { d: registered.deviceId });
  expect(initial.data?.lock).toEqual({ status: 'UNKNOWN', state: 'UNAVAILABLE', online: false, issue: null });
}, BUILD_TIMEOUT_MS + 30_000);

afterAll(async () => {
  if (lock?.alive) await lock.kill('SIGKILL');
  changes?.stop();
  await socket?.dispose();
  await app?.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

function skipIfUnbuilt(ctx: TestContext): void {
  if (skipReason) ctx.skip(skipReason);
}

function running(): VirtualLock {
  if (!lock?.alive) throw new Error('the virtual lock is not running');
  return lock;
}

function startVirtualLock(): VirtualLock {
  lock = new VirtualLock(app.brokerUrl, app.topics.prefix, registered, stateDir);
  return lock;
}

async function storedLock() {
  const row = await app.services.store.locks.findByDeviceId(registered.deviceId);
  if (!row) throw new Error(`lock ${registered.deviceId} vanished from the store`);
  return row;
}

/** Sends UNLOCK or LOCK through GraphQL and waits until the command is no longer pending. */
async function command(operation: string): Promise<CommandView> {
  const sent = await gql<Record<string, CommandView>>(app.httpUrl, operation, { d: registered.deviceId }, alice.accessToken);
  const created = sent.data ? Object.values(sent.data)[0] : undefined;
  if (!created) throw new Error(`command refused: ${JSON.stringify(sent.errors)}`);
  expect(created.state).toBe('SENT');
  return eventually(async () => {
    const response = await gql<{ command: CommandView }>(app.httpUrl, COMMAND, { id: created.id }, alice.accessToken);
    const view = response.data?.command;
    return view && view.state !== 'SENT' ? view : null;
  }, WAIT_MS);
}

describe('the virtual lock (the firmware core) against the real api', () => {
  it('connects with the credentials from registerLock, boots LOCKED with the red LED and becomes AVAILABLE', async (ctx) => {
    skipIfUnbuilt(ctx);
    expect(registered.mqttUsername).toBe(registered.deviceId);
    const virtualLock = startVirtualLock();
    await virtualLock.waitForLine('LED red (LOCKED)');
    await changes.waitFor((e) => e.state === 'AVAILABLE' && e.online && e.status === 'LOCKED', WAIT_MS);
    const row = await eventually(async () => {
      const current = await storedLock();
      return current.state === 'AVAILABLE' && current.status === 'LOCKED' ? current : null;
    }, WAIT_MS);
    expect(row).toMatchObject({ lastBoot: 1, issue: null });
  });

  it('unlocks through GraphQL: the command SUCCEEDED, lockChanged shows UNLOCKED and the LED turns green', async (ctx) => {
    skipIfUnbuilt(ctx);
    const virtualLock = running();
    const mark = virtualLock.lines.length;
    const done = await command(UNLOCK);
    expect(done).toMatchObject({ action: 'UNLOCK', state: 'SUCCEEDED', reason: null });
    await changes.waitFor((e) => e.status === 'UNLOCKED' && e.state === 'AVAILABLE', WAIT_MS);
    const query = await gql<{ lock: LockEvent }>(app.httpUrl, LOCK_QUERY, { d: registered.deviceId }, alice.accessToken);
    expect(query.data?.lock).toEqual({ status: 'UNLOCKED', state: 'AVAILABLE', online: true, issue: null });
    const green = await virtualLock.waitForLine('LED green', mark);
    expect(virtualLock.lines[green]).toBe('LED green (UNLOCKED)');
    expect(virtualLock.lines.slice(mark, green)).toEqual(['LED blink (MOVING)']);
  });

  it('goes UNAVAILABLE with "Connection lost" through its will when kill -9 drops the socket', async (ctx) => {
    skipIfUnbuilt(ctx);
    const before = changes.events.length;
    await running().kill('SIGKILL');
    // The will fires on the socket close, long before the 10 s keepalive (x1.5) could expire.
    const event = await changes.waitFor((e) => changes.events.indexOf(e) >= before && e.state === 'UNAVAILABLE', 5_000);
    expect(event).toMatchObject({ online: false, issue: 'Connection lost' });
    expect(await storedLock()).toMatchObject({ state: 'UNAVAILABLE', issue: 'Connection lost' });
  });

  it('comes back AVAILABLE after a restart on the same state dir and reports boot 2', async (ctx) => {
    skipIfUnbuilt(ctx);
    const before = changes.events.length;
    const virtualLock = startVirtualLock();
    // At boot the bolt is driven to the safe state, whatever it was before the power cut.
    await virtualLock.waitForLine('LED red (LOCKED)');
    await changes.waitFor((e) => changes.events.indexOf(e) >= before && e.state === 'AVAILABLE' && e.status === 'LOCKED', WAIT_MS);
    const row = await eventually(async () => {
      const current = await storedLock();
      return current.state === 'AVAILABLE' && current.status === 'LOCKED' ? current : null;
    }, WAIT_MS);
    expect(row).toMatchObject({ lastBoot: 2, issue: null });
  });

  it('completes a second UNLOCK then LOCK round trip after the restart, ending with the red LED', async (ctx) => {
    skipIfUnbuilt(ctx);
    const virtualLock = running();
    let mark = virtualLock.lines.length;
    expect(await command(UNLOCK)).toMatchObject({ action: 'UNLOCK', state: 'SUCCEEDED' });
    await virtualLock.waitForLine('LED green (UNLOCKED)', mark);
    mark = virtualLock.lines.length;
    expect(await command(LOCK)).toMatchObject({ action: 'LOCK', state: 'SUCCEEDED' });
    await virtualLock.waitForLine('LED red (LOCKED)', mark);
    await changes.waitFor((e) => e.status === 'LOCKED' && changes.events.filter((x) => x.status === 'UNLOCKED').length >= 2, WAIT_MS);
    expect(await storedLock()).toMatchObject({ state: 'AVAILABLE', status: 'LOCKED', lastBoot: 2 });
    expect(virtualLock.alive).toBe(true);
  });
});
