/**
 * Bluetooth offline keys, api side (issue 16 item 10), against one api over its embedded broker
 * with hand-driven v3 locks: issuing (roles, a guest's window, v2 refused, strangers and other
 * people's keys NOT_FOUND), revocation lists sent over MQTT and verified with the lock's cmd key,
 * their ack and re-send after a welcome, and the `ble` status member audited through the real
 * status path.
 */
import { createHmac } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deriveKey } from '../src/devices/protocol/keys.js';
import { helloJson, statusV2Json, type StatusMessageV2 } from '../src/devices/protocol/messages-v2.js';
import type { BlerevMessage } from '../src/devices/protocol/messages-v3-ble.js';
import { signPayload } from '../src/devices/protocol/signature.js';
import { verifyFromServerV2 } from '../src/devices/protocol/verify-v2.js';
import { errorCodes, gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock } from '../src/test-support/locks.js';
import { publishStatus } from '../src/test-support/raw-lock.js';
import { REVOKE_SHARE, shareLock } from '../src/test-support/sharing-operations.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const ISSUE = 'mutation ($l: ID!) { issueOfflineKey(lockId: $l) { keyId lockId deviceId userId actions notBefore notAfter capability secret } }';
const REVOKE = 'mutation ($l: ID!, $k: ID) { revokeOfflineKeys(lockId: $l, keyId: $k) }';

interface KeyView {
  keyId: string;
  lockId: string;
  deviceId: string;
  userId: string;
  actions: string;
  notBefore: string;
  notAfter: string;
  capability: string;
  secret: string;
}

let app: TestApp;
let owner: AuthResult;
let guest: AuthResult;
let stranger: AuthResult;
const clients: mqtt.MqttClient[] = [];

beforeAll(async () => {
  app = await startTestApp({ BLE_OFFLINE_KEY_HOURS: '6' });
  [owner, guest, stranger] = [await signUp(app.httpUrl, 'bleowner'), await signUp(app.httpUrl, 'bleguest'), await signUp(app.httpUrl, 'blestranger')];
});
afterAll(async () => {
  for (const client of clients) await client.endAsync(true).catch(() => undefined);
  await app.close();
});

const issue = (who: AuthResult, lockId: string) => gql<{ issueOfflineKey: KeyView }>(app.httpUrl, ISSUE, { l: lockId }, who.accessToken);
const revoke = (who: AuthResult, lockId: string, keyId?: string) => gql<{ revokeOfflineKeys: number }>(app.httpUrl, REVOKE, { l: lockId, k: keyId ?? null }, who.accessToken);
const audit = async (deviceId: string, action: string) => (await app.services.store.audit.query({ deviceId, action }, { first: 50 })).items;
const userIdOf = async (username: string) => (await app.services.store.users.findByUsername(username))?.id;

/** A lock driven by hand: welcomed into `protocol`, its statuses signed with the status key, what the server sends it kept. */
async function handLock(protocol: 2 | 3) {
  const lock = await registerLock(app, owner.accessToken);
  const secret = Buffer.from(lock.deviceSecret, 'hex');
  const client = await mqtt.connectAsync(app.brokerUrl, { username: lock.deviceId, password: lock.mqttPassword, clientId: lock.deviceId, reconnectPeriod: 0 });
  clients.push(client);
  const received: string[] = [];
  client.on('message', (_topic, payload) => received.push(payload.toString()));
  await client.subscribeAsync(app.topics.of(lock.deviceId, 'cmd'), { qos: 1 });
  const statusKey = deriveKey(secret, 'status');
  let seq = 0;
  const hello = () => publishStatus(app, client, lock, signPayload(statusKey, helloJson({ v: 2, type: 'hello', dev: lock.deviceId, boot: 1, seq: ++seq, vers: protocol === 3 ? '1,2,3' : '1,2', ts: 0, fw: 'hand-3.0' })));
  const status = (extra: Partial<StatusMessageV2> = {}) =>
    publishStatus(
      app,
      client,
      lock,
      signPayload(statusKey, statusV2Json({ v: protocol, type: 'status', dev: lock.deviceId, boot: 1, seq: ++seq, status: 'LOCKED', door: 'CLOSED', src: 'MANUAL', ctr: 0, ts: Math.floor(Date.now() / 1000), ...extra })),
    );
  /** The valid blerevs received so far (checked with the lock's own cmd key, as the lock does). */
  const blerevs = (): BlerevMessage[] =>
    received.flatMap((text) => {
      const verified = verifyFromServerV2(deriveKey(secret, 'cmd'), text, lock.deviceId, ['blerev'], [3]);
      return verified.verdict === 'valid' ? [verified.message] : [];
    });
  await hello();
  await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.protocolVersion === protocol);
  await status();
  await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.state === 'AVAILABLE');
  return { lock, secret, hello, status, blerevs, received };
}

describe('issuing offline keys', () => {
  it("gives the owner a key whose secret is HMAC(key('ble'), C) and reuses it while less than half its window has passed", async () => {
    const { lock, secret } = await handLock(3);
    const before = Math.floor(Date.now() / 1000);
    const first = await issue(owner, lock.deviceId);
    const key = first.data?.issueOfflineKey;
    if (!key) throw new Error(JSON.stringify(first.errors));
    const uid = await userIdOf('bleowner');
    const nb = Date.parse(key.notBefore) / 1000;
    const na = Date.parse(key.notAfter) / 1000;
    expect(key).toMatchObject({ lockId: lock.deviceId, deviceId: lock.deviceId, userId: uid, actions: 'LU' });
    expect(key.keyId).toMatch(/^[0-9a-f]{16}$/);
    expect(nb).toBeGreaterThanOrEqual(before);
    expect(na - nb).toBe(6 * 3600); // BLE_OFFLINE_KEY_HOURS
    expect(key.capability).toBe(`{"v":3,"type":"blekey","dev":"${lock.deviceId}","kid":"${key.keyId}","uid":"${uid}","act":"LU","nb":${nb},"na":${na}}`);
    expect(key.secret).toBe(createHmac('sha256', deriveKey(secret, 'ble')).update(key.capability).digest('hex'));
    expect((await issue(owner, lock.deviceId)).data?.issueOfflineKey).toEqual(key);
    expect(await audit(lock.deviceId, 'lock.offline_key_issued')).toHaveLength(1);
  });

  it("cuts a guest's key at the end of their access window, refuses one outside it, and gives a co-owner a full one", async () => {
    const { lock } = await handLock(3);
    const endsAt = new Date(Date.now() + 3_600_000);
    endsAt.setMilliseconds(0);
    const share = await shareLock(app.httpUrl, owner, lock.deviceId, 'bleguest', 'GUEST', { endsAt: endsAt.toISOString() });
    const key = (await issue(guest, lock.deviceId)).data?.issueOfflineKey;
    expect(key && Date.parse(key.notAfter)).toBe(endsAt.getTime());
    await gql(app.httpUrl, REVOKE_SHARE, { id: share.id }, owner.accessToken);
    await shareLock(app.httpUrl, owner, lock.deviceId, 'bleguest', 'GUEST', { startsAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(errorCodes(await issue(guest, lock.deviceId))).toEqual(['ACCESS_WINDOW_CLOSED']);
    await shareLock(app.httpUrl, owner, lock.deviceId, 'bleguest', 'CO_OWNER');
    const coOwner = (await issue(guest, lock.deviceId)).data?.issueOfflineKey;
    expect(coOwner && (Date.parse(coOwner.notAfter) - Date.parse(coOwner.notBefore)) / 3_600_000).toBe(6);
  });

  it('refuses a lock without protocol v3 (BAD_USER_INPUT) and answers a stranger NOT_FOUND, as for a missing lock', async () => {
    const { lock } = await handLock(2);
    const v2 = await issue(owner, lock.deviceId);
    expect(errorCodes(v2)).toEqual(['BAD_USER_INPUT']);
    expect(v2.errors?.[0]?.message).toMatch(/does not support Bluetooth/);
    const v3 = await handLock(3);
    expect(errorCodes(await issue(stranger, v3.lock.deviceId))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await issue(stranger, 'no-such-lock'))).toEqual(['NOT_FOUND']);
    expect(errorCodes(await revoke(stranger, v3.lock.deviceId))).toEqual(['NOT_FOUND']);
  });
});

describe('revocation lists (blerev)', () => {
  it("sends the lock its signed list when a key is revoked, again after a welcome until acked, and not after the ack", async () => {
    const { lock, hello, status, blerevs } = await handLock(3);
    const key = (await issue(owner, lock.deviceId)).data?.issueOfflineKey;
    if (!key) throw new Error('no key');
    expect((await revoke(owner, lock.deviceId, key.keyId)).data?.revokeOfflineKeys).toBe(1);
    const [first] = await eventually(async () => (blerevs().length === 1 ? blerevs() : null));
    expect(first).toMatchObject({ v: 3, type: 'blerev', dev: lock.deviceId, before: 0, kids: key.keyId });
    expect(first?.id).toMatch(/^blerev-/);
    const stored = await app.services.store.locks.findByDeviceId(lock.deviceId);
    expect(first?.ctr).toBe(stored?.commandCounter); // the command counter, so the lock's replay rule covers it

    await hello(); // reconnected without acking: sent again
    await eventually(async () => blerevs().length === 2);
    const resent = blerevs()[1];
    expect(resent).toMatchObject({ kids: key.keyId });
    expect(resent?.ctr).toBeGreaterThan(first?.ctr ?? Infinity);

    await status({ ack: { id: resent?.id ?? '', result: 'ok' } });
    await eventually(async () => (await app.services.store.offlineKeys.findList(lock.deviceId))?.ackedAt !== null);
    expect(await audit(lock.deviceId, 'lock.ble_revocation_applied')).toHaveLength(1);
    await hello();
    await status(); // one lock's messages are handled in order: once this is stored, the welcome's steps have run
    await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.lastSeq === 6);
    await eventually(async () => (await app.services.store.locks.findByDeviceId(lock.deviceId))?.lastSeq === 6);
    expect(blerevs()).toHaveLength(2);
  });

  it("revokes a guest's keys when their share is revoked, and lets a person revoke only their own", async () => {
    const { lock, blerevs } = await handLock(3);
    const share = await shareLock(app.httpUrl, owner, lock.deviceId, 'bleguest', 'GUEST');
    const guestKey = (await issue(guest, lock.deviceId)).data?.issueOfflineKey;
    const ownerKey = (await issue(owner, lock.deviceId)).data?.issueOfflineKey;
    if (!guestKey || !ownerKey) throw new Error('no key');
    // IDOR: the guest cannot revoke the owner's key, and it looks like no key at all.
    expect(errorCodes(await revoke(guest, lock.deviceId, ownerKey.keyId))).toEqual(['NOT_FOUND']);
    expect((await revoke(guest, lock.deviceId)).data?.revokeOfflineKeys).toBe(1);
    expect((await app.services.store.offlineKeys.find(ownerKey.keyId))?.revokedAt).toBeNull();
    await eventually(async () => blerevs().at(-1)?.kids === guestKey.keyId);

    const again = (await issue(guest, lock.deviceId)).data?.issueOfflineKey;
    if (!again) throw new Error('no key');
    await gql(app.httpUrl, REVOKE_SHARE, { id: share.id }, owner.accessToken);
    await eventually(async () => (await app.services.store.offlineKeys.find(again.keyId))?.revokedAt != null);
    const last = await eventually(async () => (blerevs().at(-1)?.kids.split(',').length === 2 ? blerevs().at(-1) : null));
    expect(last?.kids.split(',').sort()).toEqual([guestKey.keyId, again.keyId].sort());
  });
});

describe('offline uses reported in the status member ble', () => {
  it("audits the use by the key's user at the reported time once, an unknown key as such, and drops a malformed member", async () => {
    const { lock, status } = await handLock(3);
    const key = (await issue(owner, lock.deviceId)).data?.issueOfflineKey;
    if (!key) throw new Error('no key');
    const at = Math.floor(Date.now() / 1000) - 120;
    await status({ status: 'UNLOCKED', src: 'BLE', ble: `${key.keyId}.U.${at}` });
    const [entry] = await eventually(async () => {
      const entries = await audit(lock.deviceId, 'lock.unlock');
      return entries.length > 0 ? entries : null;
    });
    expect(entry).toMatchObject({ actor: 'bleowner', result: 'BLUETOOTH', at: new Date(at * 1000) });
    expect(entry?.detail).toMatch(new RegExp(`^key ${key.keyId}, reported `));
    await status({ status: 'UNLOCKED', src: 'BLE', ble: `${key.keyId}.U.${at}` }); // the same use again
    await status({ status: 'UNLOCKED', src: 'BLE', ble: `0123456789abcdef.U.${at}` });
    await eventually(async () => (await audit(lock.deviceId, 'lock.ble_unknown_key')).length === 1);
    expect(await audit(lock.deviceId, 'lock.unlock')).toHaveLength(1);
    const unknown = await app.services.metrics.registry.getSingleMetricAsString('smartlock_ble_unknown_keys_total');
    expect(unknown).toMatch(/smartlock_ble_unknown_keys_total [1-9]/);

    const droppedBefore = await app.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_dropped_total');
    const malformed = (text: string) => Number(/reason="malformed"} (\d+)/.exec(text)?.[1] ?? 0);
    const statusKey = deriveKey(Buffer.from(lock.deviceSecret, 'hex'), 'status');
    const bad = statusV2Json({ v: 3, type: 'status', dev: lock.deviceId, boot: 1, seq: 99, status: 'UNLOCKED', door: 'CLOSED', src: 'BLE', ctr: 0, ts: Math.floor(Date.now() / 1000) }).replace(/}$/, `,"ble":"${key.keyId}.X.${at}"}`);
    const [client] = clients.slice(-1);
    if (!client) throw new Error('no client');
    await publishStatus(app, client, lock, signPayload(statusKey, bad));
    await eventually(async () => malformed(await app.services.metrics.registry.getSingleMetricAsString('smartlock_mqtt_dropped_total')) > malformed(droppedBefore));
    expect(await audit(lock.deviceId, 'lock.lock')).toHaveLength(0);
  });
});
