/**
 * Issue 15 item 6: the firmware reaches the broker over MQTT on WebSockets. The virtual lock runs the
 * firmware's own WebSocket client (firmware/src/core/websocket_stream.h) over plain TCP to the api's
 * /mqtt (MQTT_WEBSOCKETS=true): handshake, masked frames out, frames in, the lock's signed status in
 * and a command out. TLS is not part of it: on a PaaS it ends at the edge, and the ESP32 puts
 * WiFiClientSecure beneath the same code (firmware/smartlock/websocket_client.h, not run here).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, LOCK_QUERY, UNLOCK, type CommandView, type LockEvent } from '../src/test-support/lock-operations.js';
import { registerLock, type Registered } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { BUILD_TIMEOUT_MS, buildVirtualLock, VirtualLock, WAIT_MS } from '../src/test-support/virtual-lock.js';

let skipReason: string | undefined;
let app: TestApp;
let alice: AuthResult;
let registered: Registered;
let stateDir: string;
let lock: VirtualLock | undefined;

beforeAll(async () => {
  skipReason = await buildVirtualLock();
  if (skipReason) {
    process.stderr.write(`firmware WebSocket test skipped: ${skipReason}\n`);
    return;
  }
  stateDir = mkdtempSync(path.join(tmpdir(), 'smartlock-fw-ws-'));
  app = await startTestApp({ MQTT_WEBSOCKETS: 'true' });
  alice = await signUp(app.httpUrl, 'alice');
  registered = await registerLock(app, alice.accessToken);
}, BUILD_TIMEOUT_MS + 30_000);

afterAll(async () => {
  if (lock?.alive) await lock.kill('SIGKILL');
  await app?.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

function skipIfUnbuilt(ctx: TestContext): void {
  if (skipReason) ctx.skip(skipReason);
}

async function lockView(): Promise<LockEvent | undefined> {
  return (await gql<{ lock: LockEvent }>(app.httpUrl, LOCK_QUERY, { d: registered.deviceId }, alice.accessToken)).data?.lock;
}

describe('the firmware over MQTT on WebSockets (ws://…/mqtt on the api port)', () => {
  it('connects through its own WebSocket client and the api shows it online and LOCKED', async (ctx) => {
    skipIfUnbuilt(ctx);
    lock = new VirtualLock(`ws://127.0.0.1:${app.port}/mqtt`, app.topics.prefix, registered, stateDir);
    await lock.waitForStderr(/\(WebSocket\)/);
    await lock.waitForStderr(/mqtt: online, subscribed/);
    await eventually(async () => (await lockView())?.state === 'AVAILABLE', WAIT_MS);
    expect(await lockView()).toEqual({ status: 'LOCKED', state: 'AVAILABLE', online: true, issue: null });
  });

  it('receives a signed UNLOCK through the relay, acks it, and its LED turns green', async (ctx) => {
    skipIfUnbuilt(ctx);
    if (!lock?.alive) throw new Error('the virtual lock is not running');
    const mark = lock.lines.length;
    const sent = await gql<{ unlock: CommandView }>(app.httpUrl, UNLOCK, { d: registered.deviceId }, alice.accessToken);
    const id = sent.data?.unlock.id;
    if (!id) throw new Error(`unlock refused: ${JSON.stringify(sent.errors)}`);
    const done = await eventually(async () => {
      const view = (await gql<{ command: CommandView }>(app.httpUrl, COMMAND, { id }, alice.accessToken)).data?.command;
      return view && view.state !== 'SENT' ? view : null;
    }, WAIT_MS);
    expect(done).toMatchObject({ action: 'UNLOCK', state: 'SUCCEEDED', reason: null });
    await lock.waitForLine('LED green (UNLOCKED)', mark);
  });

  it('goes offline through its will when the process dies and the WebSocket drops', async (ctx) => {
    skipIfUnbuilt(ctx);
    await lock?.kill('SIGKILL');
    await eventually(async () => (await lockView())?.state === 'UNAVAILABLE', WAIT_MS);
    expect(await lockView()).toMatchObject({ online: false, issue: 'Connection lost' });
  });
});
