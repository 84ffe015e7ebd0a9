/**
 * Issue 15 item 6: the firmware reaches the broker over MQTT on WebSockets. The virtual lock runs the
 * firmware's own WebSocket client (firmware/src/core/websocket_stream.h) over plain TCP to the api's
 * /mqtt (MQTT_WEBSOCKETS=true): handshake, masked frames out, frames in, the lock's signed status in
 * and a command out. TLS is not part of it: on a PaaS it ends at the edge, and the ESP32 puts
 * WiFiClientSecure beneath the same code (firmware/smartlock/websocket_client.h, not run here).
 */
import { describe, expect, it, type TestContext } from 'vitest';
import { gql } from '../src/test-support/graphql-client.js';
import { COMMAND, LOCK_QUERY, UNLOCK, type CommandView, type LockEvent } from '../src/test-support/lock-operations.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { VirtualLock, WAIT_MS } from '../src/test-support/virtual-lock.js';
import { useVirtualLockRig } from '../src/test-support/virtual-lock-rig.js';

const rig = useVirtualLockRig({ username: 'alice', env: { MQTT_WEBSOCKETS: 'true' } });

function skipIfUnbuilt(ctx: TestContext): void {
  if (rig.skipReason) ctx.skip(rig.skipReason);
}

async function lockView(): Promise<LockEvent | undefined> {
  return (await gql<{ lock: LockEvent }>(rig.app.httpUrl, LOCK_QUERY, { d: rig.registered.deviceId }, rig.person.accessToken)).data?.lock;
}

describe('the firmware over MQTT on WebSockets (ws://…/mqtt on the api port)', () => {
  it('connects through its own WebSocket client and the api shows it online and LOCKED', async (ctx) => {
    skipIfUnbuilt(ctx);
    rig.lock = new VirtualLock(`ws://127.0.0.1:${rig.app.port}/mqtt`, rig.app.topics.prefix, rig.registered, rig.stateDir);
    await rig.lock.waitForStderr(/\(WebSocket\)/);
    await rig.lock.waitForStderr(/mqtt: online, subscribing/);
    await eventually(async () => (await lockView())?.state === 'AVAILABLE', WAIT_MS);
    expect(await lockView()).toEqual({ status: 'LOCKED', state: 'AVAILABLE', online: true, issue: null });
  });

  it('receives a signed UNLOCK through the relay, acks it, and its LED turns green', async (ctx) => {
    skipIfUnbuilt(ctx);
    if (!rig.lock?.alive) throw new Error('the virtual lock is not running');
    const mark = rig.lock.lines.length;
    const sent = await gql<{ unlock: CommandView }>(rig.app.httpUrl, UNLOCK, { d: rig.registered.deviceId }, rig.person.accessToken);
    const id = sent.data?.unlock.id;
    if (!id) throw new Error(`unlock refused: ${JSON.stringify(sent.errors)}`);
    const done = await eventually(async () => {
      const view = (await gql<{ command: CommandView }>(rig.app.httpUrl, COMMAND, { id }, rig.person.accessToken)).data?.command;
      return view && view.state !== 'SENT' ? view : null;
    }, WAIT_MS);
    expect(done).toMatchObject({ action: 'UNLOCK', state: 'SUCCEEDED', reason: null });
    await rig.lock.waitForLine('LED green (UNLOCKED)', mark);
  });

  it('goes offline through its will when the process dies and the WebSocket drops', async (ctx) => {
    skipIfUnbuilt(ctx);
    await rig.lock?.kill('SIGKILL');
    await eventually(async () => (await lockView())?.state === 'UNAVAILABLE', WAIT_MS);
    expect(await lockView()).toMatchObject({ online: false, issue: 'Connection lost' });
  });
});
