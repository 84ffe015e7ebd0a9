/**
 * Claiming a lock by the code on its box (docs/protocol.md "Claiming"), end to end through the real
 * api, its embedded broker and GraphQL, with the simulator's factory-fresh lock playing the lock.
 */
import { connect, type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatClaimCode } from '../src/claims/claim-code.js';
import { sha256 } from '../src/claims/claim-crypto.js';
import { errorCodes, gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { startLock } from '../src/test-support/locks.js';
import { COMMAND, UNLOCK } from '../src/test-support/lock-operations.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import type { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { UnclaimedLock, type ClaimedCredentials } from '../src/simulator/unclaimed-lock.js';
import { startUnclaimedFleet } from '../src/simulator/unclaimed-fleet.js';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const CLAIM = 'mutation ($c: String!, $n: String!) { claimLock(code: $c, name: $n) { deviceId name state owner { username } } }';
const REMOVE = 'mutation ($d: ID!) { removeLock(deviceId: $d) }';

let app: TestApp;
let alice: AuthResult;
let bob: AuthResult;
const running: { stop(): Promise<void> }[] = [];

beforeAll(async () => {
  app = await startTestApp();
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
});

afterAll(async () => {
  for (const thing of running) await thing.stop().catch(() => undefined);
  await app?.close();
});

async function unclaimed(identity?: UnclaimedLock['identity']): Promise<UnclaimedLock> {
  const lock = new UnclaimedLock({
    brokerUrl: app.brokerUrl,
    topicPrefix: app.topics.prefix,
    helloEveryMs: 200,
    ...(identity ? { identity } : {}),
  });
  running.push(lock);
  await lock.start();
  // The hello reaches the api through the broker: wait until it is remembered.
  await eventually(async () => app.services.claims.hellos.provenBy(lock.identity) !== null);
  return lock;
}

function claimedBy(lock: UnclaimedLock): Promise<ClaimedCredentials> {
  return new Promise((resolve) => lock.once('claimed', resolve));
}

async function claim(token: string, code: string, name: string) {
  return gql<{
    claimLock: {
      deviceId: string;
      name: string;
      state: string;
      owner: { username: string };
    };
  }>(app.httpUrl, CLAIM, { c: code, n: name }, token);
}

/** The code of the same factory id with another secret: well formed, check characters right, wrong lock. */
async function wrongSecretFor(lock: UnclaimedLock): Promise<string> {
  const secret = Uint8Array.from(lock.identity.secret);
  secret[0] = (secret[0] ?? 0) ^ 0xff;
  return formatClaimCode({ factoryId: lock.identity.factoryId, secret }, sha256);
}

async function runClaimed(credentials: ClaimedCredentials): Promise<SimulatedLock> {
  const sim = await startLock(app, {
    ...credentials,
    mqttUsername: credentials.deviceId,
    mqttPassword: '',
  });
  running.push({ stop: () => sim.stop({ graceful: false }) });
  return sim;
}

async function claimAccount(factoryId: string): Promise<MqttClient> {
  const client = connect(app.brokerUrl, {
    username: `claim-${factoryId}`,
    password: 'x',
    clientId: `claim-${factoryId}`,
    reconnectPeriod: 0,
  });
  await new Promise<void>((resolve, reject) => {
    client.once('connect', () => resolve());
    client.once('error', reject);
  });
  running.push({ stop: () => client.endAsync() });
  return client;
}

describe('claimLock', () => {
  it('claims an unclaimed lock by its code: the lock gets its id and K, comes online, and unlocks', async () => {
    const lock = await unclaimed();
    const credentials = claimedBy(lock);
    const response = await claim(alice.accessToken, await lock.code(), 'Front door');
    expect(response.errors).toBeUndefined();
    const claimed = response.data?.claimLock;
    expect(claimed).toMatchObject({
      name: 'Front door',
      state: 'UNAVAILABLE',
      owner: { username: 'alice' },
    });
    expect(claimed?.deviceId).toMatch(/^lk-[0-9a-z]{16}$/);
    const given = await credentials;
    expect(given.deviceId).toBe(claimed?.deviceId);
    await lock.stop();
    await runClaimed(given);
    // The claim completes when the lock is online: the claim message (which carries K) is cleared.
    const record = await eventually(async () => (await app.services.store.claims.findByDeviceId(given.deviceId))?.completedAt ?? null, 10_000);
    expect(record).toBeInstanceOf(Date);
    const sent = await gql<{ unlock: { id: string } }>(app.httpUrl, UNLOCK, { d: given.deviceId }, alice.accessToken);
    const commandId = sent.data?.unlock.id ?? '';
    const done = await eventually(async () => {
      const view = (await gql<{ command: { state: string } }>(app.httpUrl, COMMAND, { id: commandId }, alice.accessToken)).data?.command;
      return view && view.state !== 'SENT' ? view : null;
    }, 10_000);
    expect(done.state).toBe('SUCCEEDED');
    // Nothing is retained on the claim topic any more.
    const peeker = await claimAccount(lock.identity.factoryId);
    const seen: string[] = [];
    peeker.on('message', (_topic, payload) => seen.push(payload.toString()));
    await peeker.subscribeAsync(app.topics.claim(lock.identity.factoryId), {
      qos: 1,
    });
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(seen.filter((text) => text !== '')).toEqual([]);
    const audit = await app.services.store.audit.query({ deviceId: given.deviceId }, { first: 20 });
    expect(audit.items.map((entry) => entry.action)).toEqual(expect.arrayContaining(['lock.claim', 'lock.claimed']));
  });

  it('refuses a mistyped code before anything else, and a code no waiting lock answers to', async () => {
    const lock = await unclaimed();
    const code = await lock.code();
    const typo = code.slice(0, 10) + (code[10] === 'A' ? 'B' : 'A') + code.slice(11);
    const mistyped = await claim(bob.accessToken, typo, 'Typo');
    expect(errorCodes(mistyped)).toEqual(['BAD_USER_INPUT']);
    expect(mistyped.errors?.[0]?.message).toMatch(/typo/);
    expect(errorCodes(await claim(bob.accessToken, 'hello', 'Typo'))).toEqual(['BAD_USER_INPUT']);
    const wrong = await claim(bob.accessToken, await wrongSecretFor(lock), 'Wrong');
    expect(errorCodes(wrong)).toEqual(['BAD_USER_INPUT']);
    // An unknown factory id gets the very same answer: no oracle of which locks exist.
    const unknown = await formatClaimCode({ factoryId: '00000000000000aa', secret: lock.identity.secret }, sha256);
    const stranger = await claim(bob.accessToken, unknown, 'Nobody');
    expect(stranger.errors?.[0]?.message).toBe(wrong.errors?.[0]?.message);
  });

  it('throttles wrong codes per user', async () => {
    const carol = await signUp(app.httpUrl, 'carol');
    const lock = await unclaimed();
    const wrong = await wrongSecretFor(lock);
    for (let i = 0; i < 10; i += 1) expect(errorCodes(await claim(carol.accessToken, wrong, 'Guess'))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await claim(carol.accessToken, wrong, 'Guess'))).toEqual(['TOO_MANY_ATTEMPTS']);
    // Even the right code waits now: the budget is per user.
    expect(errorCodes(await claim(carol.accessToken, await lock.code(), 'Mine'))).toEqual(['TOO_MANY_ATTEMPTS']);
  });

  it('refuses to claim a claimed lock (ALREADY_CLAIMED to a holder of its code only); names are per user', async () => {
    const lock = await unclaimed();
    const code = await lock.code();
    expect((await claim(alice.accessToken, code, 'Garage')).errors).toBeUndefined();
    const again = await claim(bob.accessToken, code, 'Garage');
    expect(errorCodes(again)).toEqual(['ALREADY_CLAIMED']);
    expect(errorCodes(await claim(bob.accessToken, await wrongSecretFor(lock), 'Garage'))).toEqual(['BAD_USER_INPUT']);
    // Bob may call his own lock "Garage" too; Alice may not have two.
    const bobs = await unclaimed();
    expect((await claim(bob.accessToken, await bobs.code(), 'Garage')).data?.claimLock.name).toBe('Garage');
    const second = await unclaimed();
    expect(errorCodes(await claim(alice.accessToken, await second.code(), 'garage'))).toEqual(['BAD_USER_INPUT']);
  });

  it('after removeLock (released) and a factory reset, a new user claims the same lock', async () => {
    const first = await unclaimed();
    const credentials = claimedBy(first);
    const claimed = await claim(alice.accessToken, await first.code(), 'Shed');
    const deviceId = claimed.data?.claimLock.deviceId ?? '';
    await credentials;
    await first.stop();
    expect((await gql<{ removeLock: boolean }>(app.httpUrl, REMOVE, { d: deviceId }, alice.accessToken)).data?.removeLock).toBe(true);
    expect(await app.services.store.claims.findByDeviceId(deviceId)).toBeNull();
    const reset = await unclaimed(first.identity); // same factory identity, a new nonce
    const again = claimedBy(reset);
    const reclaimed = await claim(bob.accessToken, await reset.code(), 'Shed');
    expect(reclaimed.data?.claimLock.owner.username).toBe('bob');
    expect(reclaimed.data?.claimLock.deviceId).not.toBe(deviceId);
    expect((await again).deviceId).toBe(reclaimed.data?.claimLock.deviceId);
    const audit = await app.services.store.audit.query({ deviceId }, { first: 20 });
    expect(audit.items.map((entry) => entry.action)).toContain('lock.release');
  });
});

describe('the simulator', () => {
  it('runs unclaimed locks that print their codes, and a claimed one comes online as its new lock', async () => {
    const stateDir = mkdtempSync(path.join(tmpdir(), 'smartlock-unclaimed-'));
    const lines: string[] = [];
    const fleet = await startUnclaimedFleet({
      brokerUrl: app.brokerUrl,
      topicPrefix: app.topics.prefix,
      count: 2,
      stateDir,
      heartbeatMs: 60_000,
      protocol: 2,
      out: (line) => lines.push(line),
    });
    running.push({
      stop: async () => {
        await fleet.stop();
        rmSync(stateDir, { recursive: true, force: true });
      },
    });
    const codes = lines.map((line) => /code (SL1-\S+)$/.exec(line)?.[1]).filter((code): code is string => code !== undefined);
    expect(codes).toHaveLength(2);
    const claimed = await eventually(async () => {
      const response = await claim(alice.accessToken, codes[0] ?? '', 'Simulated porch');
      return response.data?.claimLock ?? null;
    });
    await eventually(async () => lines.some((line) => line === `online  ${claimed.deviceId}`), 10_000);
    // The simulator says online once its availability is out; the api takes it a moment later.
    await eventually(async () => ((await app.services.store.locks.findByDeviceId(claimed.deviceId))?.state === 'AVAILABLE' ? true : null), 10_000);
  });
});

describe('the claim account on the embedded broker', () => {
  it('may subscribe only to its own claim topic and publish only its hello', async () => {
    const factoryId = '0123456789abcdef';
    const client = await claimAccount(factoryId);
    const granted = async (filter: string) => {
      try {
        return (await client.subscribeAsync(filter, { qos: 1 }))[0]?.qos;
      } catch (error) {
        return (error as { packet: { granted: number[] } }).packet.granted[0];
      }
    };
    expect(await granted(app.topics.claim(factoryId))).toBe(1);
    expect(await granted(app.topics.claim('fedcba9876543210'))).toBe(128);
    expect(await granted(`${app.topics.prefix}/+/cmd`)).toBe(128);
    expect(await granted(app.topics.claimHello(factoryId))).toBe(128);
    expect(await granted('#')).toBe(128);
    // A publish anywhere else ends the connection (MQTT 3.1.1 has no negative PUBACK).
    const closed = new Promise<void>((resolve) => client.once('close', () => resolve()));
    client.publish(`${app.topics.prefix}/some-lock/status`, 'x', { qos: 0 });
    await closed;
  });

  it('is refused with a client id other than its username', async () => {
    const client = connect(app.brokerUrl, {
      username: 'claim-0123456789abcdef',
      password: 'x',
      clientId: 'someone-else',
      reconnectPeriod: 0,
    });
    const refused = await new Promise<Error>((resolve) => client.once('error', resolve));
    expect(refused.message).toMatch(/Identifier rejected/i);
    await client.endAsync();
  });
});
