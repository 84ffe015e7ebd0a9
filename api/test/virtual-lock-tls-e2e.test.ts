/**
 * Issue 11 item 4, "the lock verifies": firmware/build/virtual-lock started with --tls-psk talks
 * to the embedded broker's TLS listener (docs/protocol.md §12: TLS 1.2, identity = device id,
 * PSK = HKDF(K, "tls-psk")), comes online and obeys an UNLOCK; a lock holding the wrong key for its
 * device id, or an id the broker does not know, fails the handshake, names that failure in its log
 * and keeps retrying without ever coming online. Needs the same Debian packages as
 * virtual-lock-e2e.test.ts (libmosquitto is built with OpenSSL and TLS-PSK on Debian).
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Client } from 'graphql-ws';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { gql, signUp, wsClient, wsQuery, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, LOCK_CHANGED, LOCK_QUERY, UNLOCK, type CommandView, type LockEvent } from '../src/test-support/lock-operations.js';
import { registerLock, type Registered } from '../src/test-support/locks.js';
import { collect, eventually, type Collected } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { BUILD_TIMEOUT_MS, buildVirtualLock, tlsPskBrokerUrl, VirtualLock, WAIT_MS } from '../src/test-support/virtual-lock.js';

/** What the virtual lock logs when the broker ends the handshake (firmware/README.md). */
const REFUSED_KEY = /TLS handshake failed: wrong key or unknown identity/;
/** Long enough for several connection attempts with the lock's back-off (first delays about 1-3 s). */
const REFUSED_FOR_MS = 4_000;

let skipReason: string | undefined;
let app: TestApp;
let alice: AuthResult;
let registered: Registered;
let other: Registered;
let socket: Client;
let changes: Collected<LockEvent>;
const stateDirs: string[] = [];
const locks: VirtualLock[] = [];

beforeAll(async () => {
  skipReason = await buildVirtualLock();
  if (skipReason) {
    process.stderr.write(`virtual-lock TLS e2e skipped: ${skipReason}\n`);
    return;
  }
  app = await startTestApp();
  alice = await signUp(app.httpUrl, 'alice');
  registered = await registerLock(app, alice.accessToken);
  other = await registerLock(app, alice.accessToken);
  socket = wsClient(app.wsUrl, alice.accessToken);
  changes = collect<LockEvent>(socket, LOCK_CHANGED, { d: registered.deviceId });
  // A round trip on the same socket after subscribing, so the subscription is in place.
  const initial = await wsQuery<{ lock: LockEvent }>(socket, LOCK_QUERY, { d: registered.deviceId });
  expect(initial.data?.lock).toMatchObject({ state: 'UNAVAILABLE', online: false });
}, BUILD_TIMEOUT_MS + 30_000);

afterAll(async () => {
  for (const lock of locks) if (lock.alive) await lock.kill('SIGKILL');
  changes?.stop();
  await socket?.dispose();
  await app?.close();
  for (const dir of stateDirs) rmSync(dir, { recursive: true, force: true });
});

function skipIfUnbuilt(ctx: TestContext): void {
  if (skipReason) ctx.skip(skipReason);
}

/** A virtual lock over TLS-PSK with `lock`'s device id and secret, on a state dir of its own. */
function startTlsLock(lock: Registered): VirtualLock {
  const stateDir = mkdtempSync(path.join(tmpdir(), 'smartlock-virtual-lock-tls-'));
  stateDirs.push(stateDir);
  const virtualLock = new VirtualLock(tlsPskBrokerUrl(app), app.topics.prefix, lock, stateDir, ['--tls-psk']);
  locks.push(virtualLock);
  return virtualLock;
}

async function stateOf(deviceId: string) {
  const row = await app.services.store.locks.findByDeviceId(deviceId);
  if (!row) throw new Error(`lock ${deviceId} vanished from the store`);
  return row.state;
}

/** Sends UNLOCK through GraphQL and waits until the command is no longer pending. */
async function unlock(): Promise<CommandView> {
  const sent = await gql<{ unlock: CommandView }>(app.httpUrl, UNLOCK, { d: registered.deviceId }, alice.accessToken);
  const created = sent.data?.unlock;
  if (!created) throw new Error(`command refused: ${JSON.stringify(sent.errors)}`);
  return eventually(async () => {
    const response = await gql<{ command: CommandView }>(app.httpUrl, COMMAND, { id: created.id }, alice.accessToken);
    const view = response.data?.command;
    return view && view.state !== 'SENT' ? view : null;
  }, WAIT_MS);
}

/** Runs `lock` for a while and checks that it is refused at the handshake, again and again. */
async function expectRefused(lock: VirtualLock, deviceId: string): Promise<void> {
  const first = await lock.waitForStderr(REFUSED_KEY);
  expect(lock.stderr[first]).toContain(deviceId);
  // It keeps trying with its back-off, and is refused each time.
  await lock.waitForStderr(REFUSED_KEY, first + 1, WAIT_MS);
  await new Promise((resolve) => setTimeout(resolve, REFUSED_FOR_MS));
  expect(lock.alive).toBe(true);
  expect(lock.stderr.filter((line) => /mqtt: online/.test(line))).toEqual([]);
  expect(lock.stderr.filter((line) => /mqtt: connecting/.test(line)).length).toBeGreaterThanOrEqual(2);
}

describe('the virtual lock over TLS with a pre-shared key (the embedded broker, docs/protocol.md §12)', () => {
  it('connects over TLS-PSK, becomes AVAILABLE and unlocks through GraphQL', async (ctx) => {
    skipIfUnbuilt(ctx);
    expect(app.brokerTlsPort).toBeGreaterThan(0);
    const lock = startTlsLock(registered);
    await lock.waitForLine('LED red (LOCKED)');
    await lock.waitForStderr(/mqtt: online/);
    expect(lock.stderr.join('\n')).toContain('(TLS-PSK)');
    expect(lock.stderr.join('\n')).not.toMatch(/TLS handshake failed/);
    await changes.waitFor((e) => e.state === 'AVAILABLE' && e.online && e.status === 'LOCKED', WAIT_MS);

    const mark = lock.lines.length;
    expect(await unlock()).toMatchObject({ action: 'UNLOCK', state: 'SUCCEEDED', reason: null });
    await lock.waitForLine('LED green (UNLOCKED)', mark);
    await changes.waitFor((e) => e.status === 'UNLOCKED' && e.state === 'AVAILABLE', WAIT_MS);
  });

  it('refuses a lock with another lock\'s secret for this device id: never online, its log names the TLS failure', async (ctx) => {
    skipIfUnbuilt(ctx);
    const good = locks[0];
    if (good?.alive) await good.kill('SIGKILL');
    await eventually(async () => (await stateOf(registered.deviceId)) === 'UNAVAILABLE', WAIT_MS);
    const before = changes.events.length;

    const impostor = startTlsLock({ ...registered, deviceSecret: other.deviceSecret });
    await expectRefused(impostor, registered.deviceId);
    expect(changes.events.slice(before).filter((e) => e.state === 'AVAILABLE' || e.online)).toEqual([]);
    expect(await stateOf(registered.deviceId)).toBe('UNAVAILABLE');
    await impostor.kill('SIGTERM');
  });

  it('refuses a random secret under an id the broker does not know', async (ctx) => {
    skipIfUnbuilt(ctx);
    const stranger: Registered = { ...registered, deviceId: `lock-unknown-${randomBytes(3).toString('hex')}`, deviceSecret: randomBytes(32).toString('hex') };
    const lock = startTlsLock(stranger);
    await expectRefused(lock, stranger.deviceId);
    await lock.kill('SIGTERM');
  });
});
