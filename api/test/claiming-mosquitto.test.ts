/**
 * Claiming on a real Mosquitto 2 with dynamic security set up before claiming (docs/protocol.md
 * §15.8): its api role has no rights on claim topics (the test takes away the two that
 * deploy/mosquitto/start-mosquitto.sh now gives), so the api's claim subscription is refused. The
 * api must run on regardless (locks registered by device id work), and claimLock answers as for a
 * lock that is not there, after its bounded wait for a hello.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../src/app/logger.js';
import { CLAIM_ACCOUNT_TIMING } from '../src/claims/claim-account-holds.js';
import { formatClaimCode } from '../src/claims/claim-code.js';
import { sha256 } from '../src/claims/claim-crypto.js';
import { DynsecClient } from '../src/devices/broker/dynsec-client.js';
import { MemoryCounterStore } from '../src/simulator/counter-store.js';
import { SimulatedLock } from '../src/simulator/simulated-lock.js';
import { newFactoryIdentity } from '../src/simulator/unclaimed-lock.js';
import { dynsecUnavailable, requireDynsecMosquitto, startDynsecMosquitto, type DynsecMosquitto } from '../src/test-support/dynsec-mosquitto.js';
import { errorCodes, gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { registerLock } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const prefix = `test-${randomUUID()}`;
let broker: DynsecMosquitto | undefined;
let app: TestApp | undefined;
let owner: AuthResult;
let sim: SimulatedLock | undefined;
const defaultWaitMs = CLAIM_ACCOUNT_TIMING.waitMs;

/** The api role as it was before claiming: without the claim topics. */
async function withoutClaimRights(running: DynsecMosquitto): Promise<void> {
  const admin = new DynsecClient({ url: running.url, ...running.admin, log: createLogger('silent') });
  await admin.start();
  await admin.run([
    { command: 'removeRoleACL', rolename: running.api.username, acltype: 'subscribePattern', topic: `${prefix}/claim/+/hello` },
    { command: 'removeRoleACL', rolename: running.api.username, acltype: 'publishClientSend', topic: `${prefix}/claim/+` },
  ]);
  await admin.stop();
}

beforeAll(async () => {
  if (dynsecUnavailable()) return;
  CLAIM_ACCOUNT_TIMING.waitMs = 2000;
  broker = await startDynsecMosquitto(prefix);
  await withoutClaimRights(broker);
  app = await startTestApp({ ...broker.apiEnv });
  owner = await signUp(app.httpUrl, 'owner');
});
afterAll(async () => {
  CLAIM_ACCOUNT_TIMING.waitMs = defaultWaitMs;
  await sim?.stop({ graceful: false }).catch(() => undefined);
  await app?.close();
  await broker?.stop();
});

describe('claiming on a Mosquitto whose api role predates it', () => {
  it('the api runs, a registered lock comes online, and claimLock finds no lock', async (ctx) => {
    requireDynsecMosquitto(ctx);
    if (!app || !broker) throw new Error('not started');
    const lock = await registerLock(app, owner.accessToken);
    sim = new SimulatedLock({ brokerUrl: broker.url, deviceId: lock.deviceId, deviceSecret: lock.deviceSecret, topicPrefix: prefix, heartbeatMs: 60_000, state: new MemoryCounterStore() });
    await sim.start();
    const running = app;
    await eventually(async () => (await running.services.store.locks.findByDeviceId(lock.deviceId))?.state === 'AVAILABLE', 10_000);
    const code = await formatClaimCode(newFactoryIdentity(), sha256);
    const claimed = await gql(app.httpUrl, 'mutation ($c: String!) { claimLock(code: $c, name: "X") { deviceId } }', { c: code }, owner.accessToken);
    expect(errorCodes(claimed)).toEqual(['BAD_USER_INPUT']);
  });
});
