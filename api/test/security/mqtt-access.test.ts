/**
 * Attack: reach a lock through the embedded broker: connect with guessed or
 * borrowed credentials, or, as a legitimate lock, publish on or subscribe to
 * another lock's topics, use wildcards, `$SYS` or `$share` to see more.
 * Defence: the embedded broker's access rules (devices/broker/broker-access.ts):
 * one answer for unknown device and wrong password; a lock may publish only
 * its own status/availability and subscribe only to its own cmd, by exact name.
 */
import { ErrorWithSubackPacket, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { gql, signUp, type AuthResult } from '../../src/test-support/graphql-client.js';
import { UNLOCK } from '../../src/test-support/lock-operations.js';
import { registerLock, type Registered } from '../../src/test-support/locks.js';
import { onlineRawLock } from '../../src/test-support/raw-lock.js';
import { eventually } from '../../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../../src/test-support/test-app.js';
import { brokerRefused, closedByBroker, settledCounter, connectOrThrow, tryConnect } from './attack-kit.js';

const BAD_USERNAME_OR_PASSWORD = 4;
const IDENTIFIER_REJECTED = 2;
const SUBACK_FAILURE = 128;

let app: TestApp;
let victimOwner: AuthResult;
let attackerOwner: AuthResult;
/** The victim: online, subscribed to its cmd topic, recording what it receives. */
let victim: Registered;
let victimClient: MqttClient;
const victimReceived: string[] = [];
/** The attacker's own, legitimately registered lock. */
let attacker: Registered;

beforeAll(async () => {
  // Each case has the owner send a real command as a marker: more than the default per-lock burst.
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '60000', COMMAND_RATE_BURST_MAX: '1000', COMMAND_RATE_SUSTAINED_MAX: '1000' });
  victimOwner = await signUp(app.httpUrl, 'victim-owner');
  attackerOwner = await signUp(app.httpUrl, 'attacker-owner');
  ({ lock: victim, client: victimClient } = await onlineRawLock(app, victimOwner.accessToken));
  victimClient.on('message', (_topic, payload) => victimReceived.push(payload.toString()));
  await victimClient.subscribeAsync(app.topics.of(victim.deviceId, 'cmd'), { qos: 1 });
  attacker = await registerLock(app, attackerOwner.accessToken);
});
afterAll(async () => {
  victimClient.end(true);
  await app.close();
});

/** The attacker's lock, connected as itself (its client id must be its device id). */
const asAttacker = () => connectOrThrow(app, { username: attacker.mqttUsername, password: attacker.mqttPassword, clientId: attacker.deviceId });
const victimRow = () => app.services.store.locks.findByDeviceId(victim.deviceId);

/** Has the victim's owner send a real command, and waits for the victim to receive it: anything the attacker could see, it would have seen by then. */
async function realCommandDelivered(): Promise<void> {
  const before = victimReceived.length;
  await gql(app.httpUrl, UNLOCK, { d: victim.deviceId }, victimOwner.accessToken);
  await eventually(async () => victimReceived.length > before);
}

/** The SUBACK return codes (mqtt.js rejects on a failure code; the packet still carries them). */
async function subackCodes(client: MqttClient, filter: string): Promise<number[]> {
  try {
    return (await client.subscribeAsync(filter, { qos: 1 })).map((grant) => grant.qos);
  } catch (error) {
    if (error instanceof ErrorWithSubackPacket) return (error.packet as { granted: number[] }).granted;
    throw error;
  }
}

describe('MQTT: wrong credentials are refused at CONNECT', () => {
  it.each<[string, () => { username?: string; password?: string; clientId?: string }, number]>([
    ["a lock's username with a wrong password", () => ({ username: victim.mqttUsername, password: 'f'.repeat(64) }), BAD_USERNAME_OR_PASSWORD],
    ["a lock's username with another lock's password", () => ({ username: victim.mqttUsername, password: attacker.mqttPassword }), BAD_USERNAME_OR_PASSWORD],
    ["a lock's username with its device secret instead of the derived password", () => ({ username: victim.mqttUsername, password: victim.deviceSecret }), BAD_USERNAME_OR_PASSWORD],
    ["a lock's username with an empty password", () => ({ username: victim.mqttUsername, password: '' }), BAD_USERNAME_OR_PASSWORD],
    ["a lock's username with no password", () => ({ username: victim.mqttUsername }), BAD_USERNAME_OR_PASSWORD],
    ['an unknown device id (same answer as a wrong password)', () => ({ username: 'no-such-lock', password: victim.mqttPassword }), BAD_USERNAME_OR_PASSWORD],
    ['no username and no password', () => ({}), BAD_USERNAME_OR_PASSWORD],
    ["the api's own account name with a guessed password", () => ({ username: '$smartlock-api', password: 'guess' }), BAD_USERNAME_OR_PASSWORD],
    ['a username with a wildcard', () => ({ username: `${victim.deviceId}/#`, password: victim.mqttPassword }), BAD_USERNAME_OR_PASSWORD],
    ['a client id with a wildcard', () => ({ username: attacker.mqttUsername, password: attacker.mqttPassword, clientId: 'a/+/#' }), IDENTIFIER_REJECTED],
  ])('refuses %s', async (_name, credentials, returnCode) => {
    const refusedBefore = await brokerRefused(app, 'auth');
    const verdict = await tryConnect(app, { clientId: `guess-${Math.random().toString(36).slice(2)}`, ...credentials() });
    expect(verdict).toEqual({ connected: false, returnCode });
    expect(await settledCounter(() => brokerRefused(app, 'auth'), refusedBefore + 1)).toBe(refusedBefore + 1);
  });

  it("refuses a lock's old password once its secret is rotated", async () => {
    const lock = await registerLock(app, victimOwner.accessToken);
    await gql(app.httpUrl, 'mutation ($d: ID!) { rotateDeviceSecret(deviceId: $d) { deviceSecret } }', { d: lock.deviceId }, victimOwner.accessToken);
    expect(await tryConnect(app, { username: lock.mqttUsername, password: lock.mqttPassword })).toEqual({ connected: false, returnCode: BAD_USERNAME_OR_PASSWORD });
  });

  it('lets the attacker\'s own lock in with its own credentials (the control case)', async () => {
    const client = await asAttacker();
    client.end(true);
  });
});

describe("MQTT: a lock publishing on another lock's topics is cut off and nothing arrives", () => {
  it.each<[string, () => string, () => string]>([
    ["a forged status on the victim's status topic", () => app.topics.of(victim.deviceId, 'status'), () => '{"v":1,"type":"status","status":"UNLOCKED"}'],
    ["\"offline\" on the victim's availability topic", () => app.topics.of(victim.deviceId, 'availability'), () => 'offline'],
    ["a command on the victim's cmd topic", () => app.topics.of(victim.deviceId, 'cmd'), () => '{"v":1,"type":"cmd","action":"UNLOCK"}'],
    ['a command on its own cmd topic (only the api sends commands)', () => app.topics.of(attacker.deviceId, 'cmd'), () => '{"v":1,"type":"cmd","action":"UNLOCK"}'],
    ['anything outside the topic scheme', () => `${app.topics.prefix}/${attacker.deviceId}/debug`, () => 'x'],
    ['a $SYS topic', () => '$SYS/broker/clients/connected', () => '0'],
  ])('%s', async (_name, topic, payload) => {
    const client = await asAttacker();
    const before = { refused: await brokerRefused(app, 'publish'), received: victimReceived.length, row: await victimRow() };
    const closed = closedByBroker(client);
    client.publish(topic(), payload(), { qos: 1 });
    await closed;
    expect(await settledCounter(() => brokerRefused(app, 'publish'), before.refused + 1)).toBe(before.refused + 1);
    await realCommandDelivered();
    expect(victimReceived.length).toBe(before.received + 1); // only the real command
    const row = await victimRow();
    expect(row).toMatchObject({ state: 'AVAILABLE', status: before.row?.status, lastSeq: before.row?.lastSeq });
  });
});

describe('MQTT: subscriptions beyond a lock\'s own cmd are refused (SUBACK 128) and deliver nothing', () => {
  it.each<[string, () => string]>([
    ["the victim's cmd topic", () => app.topics.of(victim.deviceId, 'cmd')],
    ["the victim's status topic", () => app.topics.of(victim.deviceId, 'status')],
    ['every cmd topic (+)', () => app.topics.all('cmd')],
    ['everything under the prefix (#)', () => `${app.topics.prefix}/#`],
    ['everything (#)', () => '#'],
    ['every three-level topic (+/+/+)', () => '+/+/+'],
    ['its own topics by wildcard', () => `${app.topics.prefix}/${attacker.deviceId}/#`],
    ['$SYS/#', () => '$SYS/#'],
    ['a $SYS topic by name', () => '$SYS/broker/clients/connected'],
    ['a shared subscription to every cmd topic', () => `$share/g/${app.topics.all('cmd')}`],
  ])('%s', async (_name, filter) => {
    const client = await asAttacker();
    const received: string[] = [];
    client.on('message', (topic) => received.push(topic));
    try {
      const before = await brokerRefused(app, 'subscribe');
      expect(await subackCodes(client, filter())).toEqual([SUBACK_FAILURE]);
      expect(await settledCounter(() => brokerRefused(app, 'subscribe'), before + 1)).toBe(before + 1);
      await realCommandDelivered();
      expect(received).toEqual([]);
      expect(client.connected).toBe(true); // refused, not cut off: the lock's own session goes on
    } finally {
      client.end(true);
    }
  });

  it('grants a lock its own cmd topic by exact name (the control case)', async () => {
    const client = await asAttacker();
    try {
      expect(await subackCodes(client, app.topics.of(attacker.deviceId, 'cmd'))).toEqual([1]);
    } finally {
      client.end(true);
    }
  });
});
