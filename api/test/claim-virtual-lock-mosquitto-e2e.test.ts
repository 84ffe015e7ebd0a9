/**
 * Claiming with the firmware's own core through Mosquitto with dynamic security (docs/protocol.md
 * §15.8), on a real broker started by the test: firmware/build/virtual-lock started with nothing
 * stored prints its code and keeps knocking as claim-<fid> (refused: no account yet); claimLock
 * opens the account with the password the code derives, the lock gets in within its 3 s retry,
 * says hello, takes its device id and K, comes online and unlocks; the claim account is gone then.
 * After removeLock and a factory reset, another user claims it with the same code.
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { createLogger } from '../src/app/logger.js';
import { DynsecClient } from '../src/devices/broker/dynsec-client.js';
import { dynsecUnavailable, requireDynsecMosquitto, startDynsecMosquitto, type DynsecMosquitto } from '../src/test-support/dynsec-mosquitto.js';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, UNLOCK } from '../src/test-support/lock-operations.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { BUILD_TIMEOUT_MS, buildVirtualLock, VirtualLock, WAIT_MS } from '../src/test-support/virtual-lock.js';

/** As in claim-virtual-lock-e2e.test.ts: up to a heartbeat (~9 s) when the welcome overtakes the first time message. */
const ONLINE_MS = 25_000;
const CLAIM = 'mutation ($c: String!, $n: String!) { claimLock(code: $c, name: $n) { deviceId name owner { username } } }';
const prefix = `test-${randomUUID()}`;

let skipReason: string | undefined;
let broker: DynsecMosquitto | undefined;
let app: TestApp | undefined;
let admin: DynsecClient | undefined;
let alice: AuthResult;
let bob: AuthResult;
let stateDir: string;
let lock: VirtualLock | undefined;
let firstCode = '';

beforeAll(async () => {
  skipReason = dynsecUnavailable() ?? (await buildVirtualLock());
  if (skipReason) return;
  stateDir = mkdtempSync(path.join(tmpdir(), 'smartlock-claim-mq-'));
  broker = await startDynsecMosquitto(prefix);
  app = await startTestApp({ ...broker.apiEnv });
  admin = new DynsecClient({ url: broker.url, ...broker.admin, log: createLogger('silent') });
  await admin.start();
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
}, BUILD_TIMEOUT_MS + 30_000);

afterAll(async () => {
  if (lock?.alive) await lock.kill('SIGKILL');
  await admin?.stop();
  await app?.close();
  await broker?.stop();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

function skipUnlessReady(ctx: TestContext): { app: TestApp; broker: DynsecMosquitto } {
  requireDynsecMosquitto(ctx);
  if (skipReason) ctx.skip(skipReason);
  if (!app || !broker) throw new Error('not started');
  return { app, broker };
}

async function printedCode(virtualLock: VirtualLock, from = 0): Promise<string> {
  const line = virtualLock.lines[await virtualLock.waitForLine('CLAIM CODE ', from)] ?? '';
  return line.slice('CLAIM CODE '.length);
}

function factoryIdOf(code: string): string {
  return code.split('-')[1]?.toLowerCase() ?? '';
}

async function claimAccountExists(factoryId: string): Promise<boolean> {
  const [found] = (await admin?.send([{ command: 'getClient', username: `claim-${factoryId}` }])) ?? [];
  return found !== undefined && found.error === undefined;
}

async function unlocks(running: TestApp, token: string, deviceId: string): Promise<string> {
  const sent = await gql<{ unlock: { id: string } }>(running.httpUrl, UNLOCK, { d: deviceId }, token);
  const id = sent.data?.unlock.id;
  if (!id) throw new Error(`unlock refused: ${JSON.stringify(sent.errors)}`);
  const done = await eventually(async () => {
    const view = (await gql<{ command: { state: string } }>(running.httpUrl, COMMAND, { id }, token)).data?.command;
    return view && view.state !== 'SENT' ? view : null;
  }, WAIT_MS);
  return done.state;
}

describe('claiming the virtual lock through Mosquitto with dynamic security', () => {
  it('is refused until someone types its code, then claimed by it, online, unlocks; the claim account goes', { timeout: 90_000 }, async (ctx) => {
    const { app: running } = skipUnlessReady(ctx);
    lock = new VirtualLock(running.brokerUrl, prefix, null, stateDir);
    const code = await printedCode(lock);
    firstCode = code;
    const factoryId = factoryIdOf(code);
    // No account yet: the broker refuses it (it never gets as far as subscribing), and it keeps trying.
    await new Promise((resolve) => setTimeout(resolve, 4000));
    expect(lock.stderr.some((line) => /waiting to be claimed/.test(line))).toBe(false);
    expect(await claimAccountExists(factoryId)).toBe(false);

    const response = await gql<{ claimLock: { deviceId: string; owner: { username: string } } }>(running.httpUrl, CLAIM, { c: code, n: 'Front door' }, alice.accessToken);
    expect(response.errors).toBeUndefined();
    const deviceId = response.data?.claimLock.deviceId ?? '';
    await lock.waitForLine(`CLAIMED ${deviceId}`);
    await eventually(async () => (await running.services.store.locks.findByDeviceId(deviceId))?.state === 'AVAILABLE', ONLINE_MS);
    expect(await unlocks(running, alice.accessToken, deviceId)).toBe('SUCCEEDED');
    await eventually(async () => ((await claimAccountExists(factoryId)) ? null : true), WAIT_MS);
  });

  it('after removeLock and a factory reset, another user claims it with the same code and it unlocks', { timeout: 90_000 }, async (ctx) => {
    const { app: running } = skipUnlessReady(ctx);
    const virtualLock = lock;
    if (!virtualLock) throw new Error('no virtual lock');
    const [owned] = await running.services.store.locks.listByOwner('alice');
    const removed = await gql<{ removeLock: boolean }>(running.httpUrl, 'mutation ($d: ID!) { removeLock(deviceId: $d) }', { d: owned?.deviceId }, alice.accessToken);
    expect(removed.data?.removeLock).toBe(true);
    const mark = virtualLock.lines.length;
    virtualLock.hand('factory reset');
    await virtualLock.waitForLine('FACTORY RESET', mark);
    const code = await printedCode(virtualLock, mark);
    expect(code).toBe(firstCode);
    const response = await gql<{ claimLock: { deviceId: string; owner: { username: string } } }>(running.httpUrl, CLAIM, { c: code, n: 'Front door' }, bob.accessToken);
    expect(response.errors).toBeUndefined();
    expect(response.data?.claimLock.owner.username).toBe('bob');
    const deviceId = response.data?.claimLock.deviceId ?? '';
    expect(deviceId).not.toBe(owned?.deviceId);
    await virtualLock.waitForLine(`CLAIMED ${deviceId}`, mark);
    await eventually(async () => (await running.services.store.locks.findByDeviceId(deviceId))?.state === 'AVAILABLE', ONLINE_MS);
    expect(await unlocks(running, bob.accessToken, deviceId)).toBe('SUCCEEDED');
    await eventually(async () => ((await claimAccountExists(factoryIdOf(code))) ? null : true), WAIT_MS);
  });
});
