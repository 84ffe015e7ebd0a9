/**
 * The unclaimed lock's account on Mosquitto with dynamic security (docs/protocol.md §15.8), on a
 * real broker started by the test with the deploy script's api role: `claim-<fid>` exists only
 * while someone claims the lock, admits only the password derived from the typed code, reaches
 * only its own claim topics, and is gone after a wrong code, after a timeout and after a claim
 * whose lock came online. Unknown, wrong and offline codes answer the one BAD_USER_INPUT.
 */
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/app/logger.js';
import { CLAIM_ACCOUNT_TIMING } from '../src/claims/claim-account-holds.js';
import { formatClaimCode, type ClaimCode } from '../src/claims/claim-code.js';
import { claimBrokerPassword, sha256 } from '../src/claims/claim-crypto.js';
import { DynsecClaimAccounts } from '../src/devices/broker/dynsec-claim-accounts.js';
import { DynsecClient } from '../src/devices/broker/dynsec-client.js';
import { Topics } from '../src/devices/protocol/topics.js';
import { MemoryCounterStore } from '../src/simulator/counter-store.js';
import { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { newFactoryIdentity, UnclaimedLock, type ClaimedCredentials } from '../src/simulator/unclaimed-lock.js';
import { dynsecUnavailable, requireDynsecMosquitto, startDynsecMosquitto, type DynsecMosquitto } from '../src/test-support/dynsec-mosquitto.js';
import { errorCodes, gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const prefix = `test-${randomUUID()}`;
const topics = new Topics(prefix);
const CLAIM = 'mutation ($c: String!, $n: String!) { claimLock(code: $c, name: $n) { deviceId } }';
/** Short, so that wrong codes answer soon; the lock simulator retries a refused login every second. */
const WAIT_MS = 4000;
const defaultWaitMs = CLAIM_ACCOUNT_TIMING.waitMs;
let broker: DynsecMosquitto | undefined;
let app: TestApp | undefined;
let admin: DynsecClient | undefined;
let alice: AuthResult;
let bob: AuthResult;
/** The lock alice claims in the last-but-one test. */
let claimedIdentity: ClaimCode | undefined;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  if (dynsecUnavailable()) return;
  CLAIM_ACCOUNT_TIMING.waitMs = WAIT_MS;
  broker = await startDynsecMosquitto(prefix);
  app = await startTestApp({ ...broker.apiEnv });
  admin = new DynsecClient({ url: broker.url, ...broker.admin, log: createLogger('silent') });
  await admin.start();
  alice = await signUp(app.httpUrl, 'alice');
  bob = await signUp(app.httpUrl, 'bob');
});
afterAll(async () => {
  CLAIM_ACCOUNT_TIMING.waitMs = defaultWaitMs;
  for (const close of closers) await close().catch(() => undefined);
  await admin?.stop();
  await app?.close();
  await broker?.stop();
});

function started(): { app: TestApp; broker: DynsecMosquitto; admin: DynsecClient } {
  if (!app || !broker || !admin) throw new Error('not started');
  return { app, broker, admin };
}

/** The CONNACK code of a login as the claim account: 0 accepted (then closed), 4/5 refused. */
async function claimLogin(url: string, factoryId: string, password: string): Promise<number | undefined> {
  const username = `claim-${factoryId}`;
  try {
    const client = await mqtt.connectAsync(url, { protocolVersion: 4, username, password, clientId: username, reconnectPeriod: 0, connectTimeout: 5000 });
    await client.endAsync(true);
    return 0;
  } catch (error) {
    return (error as { code?: number }).code;
  }
}

async function accountExists(factoryId: string): Promise<boolean> {
  const [found] = await started().admin.send([{ command: 'getClient', username: `claim-${factoryId}` }]);
  return found?.error === undefined;
}

function claim(code: string, name: string, token = alice.accessToken) {
  return gql<{ claimLock: { deviceId: string } }>(started().app.httpUrl, CLAIM, { c: code, n: name }, token);
}

/** The answer and how long it took from now. */
async function timed<T>(answer: Promise<T>): Promise<{ answer: T; ms: number }> {
  const asked = Date.now();
  return { answer: await answer, ms: Date.now() - asked };
}

/** The same factory id with another secret: a well-formed code that is wrong. */
function wrongCodeFor(identity: ClaimCode): ClaimCode {
  const secret = Uint8Array.from(identity.secret);
  secret[0] = (secret[0] ?? 0) ^ 1;
  return { factoryId: identity.factoryId, secret };
}

describe('claim accounts on Mosquitto with dynamic security', () => {
  it('no claim in progress: nobody logs in as claim-<fid>, not even with the right password', async (ctx) => {
    requireDynsecMosquitto(ctx);
    const identity = newFactoryIdentity();
    expect([4, 5]).toContain(await claimLogin(started().broker.url, identity.factoryId, claimBrokerPassword(identity)));
    expect(await accountExists(identity.factoryId)).toBe(false);
  });

  it('while the right code waits, the account admits only its password and reaches only its own claim topics; gone after the timeout', { timeout: 30_000 }, async (ctx) => {
    requireDynsecMosquitto(ctx);
    const { broker: running } = started();
    const identity = newFactoryIdentity();
    const other = newFactoryIdentity();
    const pending = claim(await formatClaimCode(identity, sha256), 'Nobody answers');
    await eventually(async () => ((await claimLogin(running.url, identity.factoryId, claimBrokerPassword(identity))) === 0 ? true : null), WAIT_MS);
    expect([4, 5]).toContain(await claimLogin(running.url, identity.factoryId, claimBrokerPassword(other)));
    expect([4, 5]).toContain(await claimLogin(running.url, identity.factoryId, 'unclaimed')); // the old fixed password

    // The admin reads everything under the prefix: what the claim account gets through is seen there.
    const observer = await mqtt.connectAsync(running.url, { protocolVersion: 4, ...running.admin, reconnectPeriod: 0 });
    closers.push(() => observer.endAsync(true));
    const seen: string[] = [];
    observer.on('message', (topic) => seen.push(topic));
    await observer.subscribeAsync(`${prefix}/#`, { qos: 1 });

    const username = `claim-${identity.factoryId}`;
    const lockSide = await mqtt.connectAsync(running.url, { protocolVersion: 4, username, password: claimBrokerPassword(identity), clientId: username, reconnectPeriod: 0 });
    closers.push(() => lockSide.endAsync(true));
    // mqtt.js rejects a refused subscription (SUBACK 128) with the granted list on the error.
    const grants = (filter: string) =>
      lockSide.subscribeAsync(filter, { qos: 1 }).then(
        (granted) => granted[0]?.qos,
        (error: { packet?: { granted?: number[] } }) => error.packet?.granted?.[0],
      );
    expect(await grants(topics.claim(other.factoryId))).toBe(128);
    expect(await grants(`${prefix}/claim/+`)).toBe(128);
    expect(await grants(`${prefix}/#`)).toBe(128);
    expect(await grants(topics.claimHello(identity.factoryId))).toBe(128); // its own hellos: no
    expect(await grants(topics.claim(identity.factoryId))).toBe(1);
    for (const topic of [topics.claim(identity.factoryId), topics.claimHello(other.factoryId), topics.of('some-lock', 'status'), `${prefix}/healthcheck`]) {
      await lockSide.publishAsync(topic, 'forged', { qos: 1 });
    }
    await lockSide.publishAsync(topics.claimHello(identity.factoryId), 'marker', { qos: 1 }); // allowed (and dropped by the api as malformed)
    await eventually(async () => (seen.includes(topics.claimHello(identity.factoryId)) ? true : null), 5000);
    expect(seen).toEqual([topics.claimHello(identity.factoryId)]);

    const answer = await pending;
    expect(errorCodes(answer)).toEqual(['BAD_USER_INPUT']);
    expect(await accountExists(identity.factoryId)).toBe(false);
    expect([4, 5]).toContain(await claimLogin(running.url, identity.factoryId, claimBrokerPassword(identity)));
  });

  it('a wrong code never lets the lock in, answers as an unknown lock does, and leaves no account', { timeout: 30_000 }, async (ctx) => {
    requireDynsecMosquitto(ctx);
    const { broker: running } = started();
    const lock = new UnclaimedLock({ brokerUrl: running.url, topicPrefix: prefix, helloEveryMs: 1000 });
    closers.push(() => lock.stop());
    void lock.start().catch(() => undefined);
    const wrong = timed(claim(await formatClaimCode(wrongCodeFor(lock.identity), sha256), 'Wrong'));
    const unknown = timed(claim(await formatClaimCode(newFactoryIdentity(), sha256), 'Unknown'));
    await eventually(async () => ((await accountExists(lock.identity.factoryId)) ? true : null), WAIT_MS);
    expect([4, 5]).toContain(await claimLogin(running.url, lock.identity.factoryId, claimBrokerPassword(lock.identity)));
    const [{ answer: wrongAnswer, ms: wrongMs }, { answer: unknownAnswer, ms: unknownMs }] = await Promise.all([wrong, unknown]);
    // Both waited for a hello that never came.
    expect(wrongMs).toBeGreaterThanOrEqual(WAIT_MS - 100);
    expect(unknownMs).toBeGreaterThanOrEqual(WAIT_MS - 100);
    expect(errorCodes(wrongAnswer)).toEqual(['BAD_USER_INPUT']);
    expect(wrongAnswer.errors?.[0]?.message).toBe(unknownAnswer.errors?.[0]?.message);
    expect(await accountExists(lock.identity.factoryId)).toBe(false);
  });

  it('the right code claims the lock, which comes online; then its claim account is gone', { timeout: 30_000 }, async (ctx) => {
    requireDynsecMosquitto(ctx);
    const { app: running, broker: mosquitto } = started();
    const lock = new UnclaimedLock({ brokerUrl: mosquitto.url, topicPrefix: prefix, helloEveryMs: 1000 });
    closers.push(() => lock.stop());
    const granted = new Promise<ClaimedCredentials>((resolve) => lock.once('claimed', resolve));
    void lock.start().catch(() => undefined);
    const answer = await claim(await lock.code(), 'Front door');
    expect(answer.errors).toBeUndefined();
    const credentials = await granted;
    expect(credentials.deviceId).toBe(answer.data?.claimLock.deviceId);
    claimedIdentity = lock.identity;
    await lock.stop();
    const sim = new SimulatedLock({ brokerUrl: mosquitto.url, ...credentials, topicPrefix: prefix, heartbeatMs: 60_000, state: new MemoryCounterStore() });
    closers.push(() => sim.stop({ graceful: false }));
    await sim.start();
    await eventually(async () => (await running.services.store.locks.findByDeviceId(credentials.deviceId))?.state === 'AVAILABLE', 10_000);
    await eventually(async () => ((await accountExists(lock.identity.factoryId)) ? null : true), 5000);
    expect([4, 5]).toContain(await claimLogin(mosquitto.url, lock.identity.factoryId, claimBrokerPassword(lock.identity)));
  });

  it('a wrong code of a lock claimed by someone else answers as late and as an unknown lock does, and opens no account', { timeout: 30_000 }, async (ctx) => {
    requireDynsecMosquitto(ctx);
    if (!claimedIdentity) throw new Error('the claim test did not run');
    const foreignCode = await formatClaimCode(wrongCodeFor(claimedIdentity), sha256);
    const unknownCode = await formatClaimCode(newFactoryIdentity(), sha256);
    const [foreign, unknown] = await Promise.all([timed(claim(foreignCode, 'Not mine', bob.accessToken)), timed(claim(unknownCode, 'Unknown', bob.accessToken))]);
    expect(foreign.ms).toBeGreaterThanOrEqual(WAIT_MS - 100);
    expect(unknown.ms).toBeGreaterThanOrEqual(WAIT_MS - 100);
    expect(errorCodes(foreign.answer)).toEqual(['BAD_USER_INPUT']);
    expect(foreign.answer.errors?.[0]?.message).toBe(unknown.answer.errors?.[0]?.message);
    expect(await accountExists(claimedIdentity.factoryId)).toBe(false);
  });

  it('a starting api deletes claim accounts whose time is up and leaves one still in use alone (another replica\'s)', { timeout: 60_000 }, async (ctx) => {
    requireDynsecMosquitto(ctx);
    const { broker: mosquitto, admin: client } = started();
    const accounts = new DynsecClaimAccounts(client, topics, createLogger('silent'));
    const leftBehind = newFactoryIdentity();
    const inUse = newFactoryIdentity();
    await accounts.open(leftBehind.factoryId, claimBrokerPassword(leftBehind), new Date(Date.now() - 1000));
    await accounts.open(inUse.factoryId, claimBrokerPassword(inUse), new Date(Date.now() + 60_000));
    expect(await accountExists(leftBehind.factoryId)).toBe(true);
    const replica = await startTestApp({ ...mosquitto.apiEnv });
    closers.push(() => replica.close());
    expect(await accountExists(leftBehind.factoryId)).toBe(false);
    expect(await accountExists(inUse.factoryId)).toBe(true);
    expect(await claimLogin(mosquitto.url, inUse.factoryId, claimBrokerPassword(inUse))).toBe(0);
    await accounts.close(inUse.factoryId);
  });
});
