/**
 * Claiming with the firmware's own core (docs/protocol.md "Claiming"): firmware/build/virtual-lock
 * started with nothing stored prints its claim code, claimLock through GraphQL sends it its device
 * id and K, it comes online as that lock and unlocks; after removeLock and a factory reset (the long
 * press, on its stdin) another user claims it with the same code. Skipped like the other
 * virtual-lock suites when the firmware cannot be built here.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { errorCodes, gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, UNLOCK } from '../src/test-support/lock-operations.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { BUILD_TIMEOUT_MS, buildVirtualLock, VirtualLock, WAIT_MS } from '../src/test-support/virtual-lock.js';

/**
 * A fresh lock is AVAILABLE once a status carries the server's time. When the welcome overtakes the
 * v1 time message sent for its first status, the lock (now in v2) drops that time and gets the next
 * one a heartbeat later (~9 s): an existing ordering of v2 negotiation, not of claiming.
 */
const ONLINE_MS = 25_000;
const CLAIM = 'mutation ($c: String!, $n: String!) { claimLock(code: $c, name: $n) { deviceId name owner { username } } }';

let skipReason: string | undefined;
let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
let stateDir: string;
let lock: VirtualLock | undefined;
/** The code the lock printed at its first start (its factory identity outlives a factory reset). */
let firstCode = '';

beforeAll(async () => {
  skipReason = await buildVirtualLock();
  if (skipReason) return;
  stateDir = mkdtempSync(path.join(tmpdir(), 'smartlock-claim-'));
  app = await startTestApp();
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
}, BUILD_TIMEOUT_MS + 30_000);

afterAll(async () => {
  if (lock?.alive) await lock.kill('SIGKILL');
  await app?.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

function skipIfUnbuilt(ctx: TestContext): void {
  if (skipReason) ctx.skip(skipReason);
}

async function printedCode(virtualLock: VirtualLock, from = 0): Promise<string> {
  const line = virtualLock.lines[await virtualLock.waitForLine('CLAIM CODE ', from)] ?? '';
  return line.slice('CLAIM CODE '.length);
}

async function claim(token: string, code: string, name: string) {
  return gql<{ claimLock: { deviceId: string; name: string; owner: { username: string } } }>(app.httpUrl, CLAIM, { c: code, n: name }, token);
}

/** claimLock as soon as the lock's hello has reached the api (it says hello when it connects). */
async function claimWhenHeard(token: string, code: string, name: string) {
  return eventually(async () => {
    const response = await claim(token, code, name);
    return errorCodes(response).includes('BAD_USER_INPUT') ? null : response;
  }, WAIT_MS, 200);
}

async function unlocks(token: string, deviceId: string): Promise<string> {
  const sent = await gql<{ unlock: { id: string } }>(app.httpUrl, UNLOCK, { d: deviceId }, token);
  const id = sent.data?.unlock.id;
  if (!id) throw new Error(`unlock refused: ${JSON.stringify(sent.errors)}`);
  const done = await eventually(async () => {
    const view = (await gql<{ command: { state: string } }>(app.httpUrl, COMMAND, { id }, token)).data?.command;
    return view && view.state !== 'SENT' ? view : null;
  }, WAIT_MS);
  return done.state;
}

describe('claiming the virtual lock', () => {
  it('runs unclaimed with nothing stored, is claimed by its code, comes online and unlocks', { timeout: 60_000 }, async (ctx) => {
    skipIfUnbuilt(ctx);
    lock = new VirtualLock(app.brokerUrl, app.topics.prefix, null, stateDir);
    const code = await printedCode(lock);
    firstCode = code;
    expect(code).toMatch(/^SL1-[0-9A-F]{16}-([0-9A-HJKMNP-TV-Z]{4}-){4}[0-9A-HJKMNP-TV-Z]{2}$/);
    const response = await claimWhenHeard(alice.accessToken, code, 'Front door');
    expect(response.errors).toBeUndefined();
    const deviceId = response.data?.claimLock.deviceId ?? '';
    await lock.waitForLine(`CLAIMED ${deviceId}`);
    await eventually(async () => (await app.services.store.locks.findByDeviceId(deviceId))?.state === 'AVAILABLE', ONLINE_MS);
    expect(await unlocks(alice.accessToken, deviceId)).toBe('SUCCEEDED');
    await eventually(async () => (await app.services.store.claims.findByDeviceId(deviceId))?.completedAt ?? null, WAIT_MS);
  });

  it('restarts as the lock it was claimed as (from its state directory)', { timeout: 60_000 }, async (ctx) => {
    skipIfUnbuilt(ctx);
    const [owned] = await app.services.store.locks.listByOwner('alice');
    await lock?.kill('SIGTERM');
    lock = new VirtualLock(app.brokerUrl, app.topics.prefix, null, stateDir);
    await lock.waitForStderr(new RegExp(`provisioned as ${owned?.deviceId ?? '?'}`));
    expect(lock.lines.some((line) => line.startsWith('CLAIM CODE'))).toBe(false);
    await eventually(async () => (await app.services.store.locks.findByDeviceId(owned?.deviceId ?? ''))?.state === 'AVAILABLE', ONLINE_MS);
    expect(await unlocks(alice.accessToken, owned?.deviceId ?? '')).toBe('SUCCEEDED');
  });

  it('after removeLock and a factory reset, another user claims it with the same code', { timeout: 60_000 }, async (ctx) => {
    skipIfUnbuilt(ctx);
    const running = lock;
    if (!running) throw new Error('no virtual lock');
    const [owned] = await app.services.store.locks.listByOwner('alice');
    const removed = await gql<{ removeLock: boolean }>(app.httpUrl, 'mutation ($d: ID!) { removeLock(deviceId: $d) }', { d: owned?.deviceId }, alice.accessToken);
    expect(removed.data?.removeLock).toBe(true);
    const mark = running.lines.length;
    running.hand('factory reset');
    await running.waitForLine('FACTORY RESET', mark);
    const code = await printedCode(running, mark);
    expect(code).toBe(firstCode);
    const response = await claimWhenHeard(bob.accessToken, code, 'Front door');
    expect(response.data?.claimLock.owner.username).toBe('bob');
    const deviceId = response.data?.claimLock.deviceId ?? '';
    expect(deviceId).not.toBe(owned?.deviceId);
    await running.waitForLine(`CLAIMED ${deviceId}`, mark);
    await eventually(async () => (await app.services.store.locks.findByDeviceId(deviceId))?.state === 'AVAILABLE', ONLINE_MS);
    // The counters of its first life were forgotten: the new server's first command is not a replay.
    expect(await unlocks(bob.accessToken, deviceId)).toBe('SUCCEEDED');
  });

  it('a factory reset in v3 tells the server, which releases the lock; its code claims it again', { timeout: 60_000 }, async (ctx) => {
    skipIfUnbuilt(ctx);
    const running = lock;
    if (!running) throw new Error('no virtual lock');
    const [owned] = await app.services.store.locks.listByOwner('bob');
    const deviceId = owned?.deviceId ?? '';
    // Welcomed into v3 and holding the server's time (the unlock above answered): its reset is fresh.
    await eventually(async () => (await app.services.store.locks.findByDeviceId(deviceId))?.protocolVersion === 3, ONLINE_MS);
    const mark = running.lines.length;
    running.hand('factory reset');
    await running.waitForLine('FACTORY RESET', mark);
    await eventually(async () => (await app.services.store.locks.findByDeviceId(deviceId)) === null, WAIT_MS);
    const entry = await eventually(async () => (await app.services.store.audit.query({ deviceId, action: 'lock.factoryReset' }, { first: 5 })).items[0], WAIT_MS);
    expect(entry.result).toBe('released');
    const code = await printedCode(running, mark);
    const response = await claimWhenHeard(alice.accessToken, code, 'Back door');
    expect(response.data?.claimLock.owner.username).toBe('alice');
  });
});
