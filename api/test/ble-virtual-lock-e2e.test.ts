/**
 * Bluetooth offline keys end to end, up to the GATT boundary (docs/protocol.md §16): the api issues
 * alice an offline key for firmware/build/virtual-lock (protocol v3); the test plays her phone on
 * the lock's stdin (`ble-challenge`, `ble-request`), as the app does over Web Bluetooth; the lock
 * opens, reports the use in its next status, and the audit log names alice. Revoking the key sends
 * the lock a blerev, after which the same key is refused `revoked`. No radio: the virtual lock's
 * stdin stands in for the characteristics.
 */
import { createHmac } from 'node:crypto';
import { describe, expect, it, type TestContext } from 'vitest';
import { gql } from '../src/test-support/graphql-client.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { QUICK_HEARTBEAT_ARGS, VirtualLock, WAIT_MS } from '../src/test-support/virtual-lock.js';
import { useVirtualLockRig } from '../src/test-support/virtual-lock-rig.js';

const ISSUE = 'mutation ($l: ID!) { issueOfflineKey(lockId: $l) { keyId capability secret } }';
const REVOKE = 'mutation ($l: ID!, $k: ID) { revokeOfflineKeys(lockId: $l, keyId: $k) }';

const rig = useVirtualLockRig({ username: 'alice' });

const hmac = (keyHex: string, text: string) => createHmac('sha256', Buffer.from(keyHex, 'hex')).update(text).digest('hex');
const withLog = (error: Error) => Promise.reject(new Error(`${error.message}${rig.lock?.transcript() ?? ''}`));

/** What the phone does (§16.3): read the challenge, sign a request with the key, read the result. */
async function openNearby(vl: VirtualLock, key: { capability: string; secret: string }, op: 'UNLOCK' | 'LOCK') {
  const from = vl.lines.length;
  vl.hand('ble-challenge');
  const challenge = JSON.parse(vl.lines[await vl.waitForLine('{"v":3,"type":"blechal"', from)]!) as { n: string };
  // B: the capability's members after its type, then op and n, under type "bleop"; sig last.
  const body = `{"v":3,"type":"bleop",${key.capability.slice('{"v":3,"type":"blekey",'.length, -1)},"op":"${op}","n":"${challenge.n}"}`;
  vl.hand(`ble-request ${body.slice(0, -1)},"sig":"${hmac(key.secret, body)}"}`);
  const line = vl.lines[await vl.waitForLine('{"v":3,"type":"bleres"', from)]!;
  const signed = /^(.*),"sig":"([0-9a-f]{64})"}$/.exec(line);
  return { result: JSON.parse(line) as { result: string; reason?: string; status: string }, signedByTheLock: signed !== null && hmac(key.secret, `${signed[1]!}}`) === signed[2] };
}

describe('Bluetooth offline keys with the virtual lock (the firmware core)', () => {
  it("alice's offline key opens the lock over the GATT boundary; the use is audited as hers; revoked, the key is refused", async (ctx: TestContext) => {
    if (rig.skipReason) ctx.skip(rig.skipReason);
    rig.lock = new VirtualLock(rig.app.brokerUrl, rig.app.topics.prefix, rig.registered, rig.stateDir, QUICK_HEARTBEAT_ARGS);
    const vl = rig.lock;
    // v3, online, and the lock has the server's time (its statuses carry ts once it has).
    await eventually(async () => {
      const row = await rig.app.services.store.locks.findByDeviceId(rig.registered.deviceId);
      return row?.protocolVersion === 3 && row.state === 'AVAILABLE';
    }, WAIT_MS).catch(withLog);

    const issued = await gql<{ issueOfflineKey: { keyId: string; capability: string; secret: string } }>(rig.app.httpUrl, ISSUE, { l: rig.registered.deviceId }, rig.person.accessToken);
    const key = issued.data?.issueOfflineKey;
    if (!key) throw new Error(`issueOfflineKey failed: ${JSON.stringify(issued.errors)}`);

    // The lock may still be waiting for its first time message: retry while it says no_clock.
    const opened = await eventually(async () => {
      const attempt = await openNearby(vl, key, 'UNLOCK');
      return attempt.result.reason === 'no_clock' ? null : attempt;
    }, WAIT_MS).catch(withLog);
    expect(opened).toEqual({ result: expect.objectContaining({ result: 'ok', status: 'UNLOCKED' }) as unknown, signedByTheLock: true });

    // The use reaches the api in the lock's next status, audited as alice's, over Bluetooth.
    const used = await eventually(async () => {
      const entries = (await rig.app.services.store.audit.query({ deviceId: rig.registered.deviceId }, { first: 50 })).items;
      return entries.find((entry) => entry.actor === 'alice' && entry.result === 'BLUETOOTH');
    }, WAIT_MS).catch(withLog);
    expect(used.action).toBe('lock.unlock');
    expect((await rig.app.services.store.locks.findByDeviceId(rig.registered.deviceId))?.lastChangeSource).toBe('BLE');

    // Revoked: the api sends the lock its list, the lock acks it, and the same key no longer opens.
    expect((await gql(rig.app.httpUrl, REVOKE, { l: rig.registered.deviceId, k: key.keyId }, rig.person.accessToken)).errors).toBeUndefined();
    await eventually(async () => {
      const entries = (await rig.app.services.store.audit.query({ deviceId: rig.registered.deviceId, action: 'lock.ble_revocation_applied' }, { first: 5 })).items;
      return entries.length > 0;
    }, WAIT_MS).catch(withLog);
    const refused = await openNearby(vl, key, 'LOCK');
    expect(refused).toEqual({ result: expect.objectContaining({ result: 'rejected', reason: 'revoked', status: 'UNLOCKED' }) as unknown, signedByTheLock: true });
  });
});
