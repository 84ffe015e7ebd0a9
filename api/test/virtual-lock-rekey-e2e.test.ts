/**
 * Over-the-air secret rotation with the firmware's own core (docs/protocol.md §13.3): the real api
 * and firmware/build/virtual-lock (protocol v3) rotate the lock's secret without flashing, then a
 * command runs under the new secret, the old one opens nothing any more, and a restarted lock keeps
 * the new one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { errorCodes, gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, ROTATION_STARTED, UNLOCK, LOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { registerLock, type Registered } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { BUILD_TIMEOUT_MS, buildVirtualLock, tlsPskBrokerUrl, VirtualLock, WAIT_MS } from '../src/test-support/virtual-lock.js';

let skipReason: string | undefined;
let app: TestApp;
let owner: AuthResult;
let registered: Registered;
let stateDir: string;
let lock: VirtualLock | undefined;

beforeAll(async () => {
  skipReason = await buildVirtualLock();
  if (skipReason) return;
  stateDir = mkdtempSync(path.join(tmpdir(), 'smartlock-rekey-'));
  app = await startTestApp({ COMMAND_TIMEOUT_MS: '5000' });
  owner = await signUp(app.httpUrl, 'owner');
  registered = await registerLock(app, owner.accessToken);
}, BUILD_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await lock?.kill('SIGKILL');
  await app?.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

const ROTATE = 'mutation ($d: ID!) { rotateDeviceSecretOverTheAir(deviceId: $d) { deviceId secretRotation { state startedAt } } }';
const ROTATION = 'query ($d: ID!) { lock(deviceId: $d) { online secretRotation { state } overTheAirRotationUnavailable } }';
const AUDIT = 'query ($d: ID!) { auditLog(filter: { deviceId: $d, action: "lock.secretRotated" }, first: 10) { edges { node { result } } } }';
const stored = () => app.services.store.locks.findByDeviceId(registered.deviceId);

async function run(mutation: string): Promise<CommandView> {
  const sent = await gql<{ unlock?: { id: string }; lock?: { id: string } }>(app.httpUrl, mutation, { d: registered.deviceId }, owner.accessToken);
  const id = sent.data?.unlock?.id ?? sent.data?.lock?.id;
  if (!id) throw new Error(`command refused: ${JSON.stringify(sent.errors)}`);
  return eventually(async () => {
    const view = (await gql<{ command: CommandView }>(app.httpUrl, COMMAND, { id }, owner.accessToken)).data?.command;
    return view && view.state !== 'SENT' ? view : null;
  }, WAIT_MS);
}

async function brokerRefuses(password: string): Promise<boolean> {
  const client = mqtt.connect(app.brokerUrl, { username: registered.deviceId, password, clientId: `${registered.deviceId}-probe`, reconnectPeriod: 0 });
  return new Promise((resolve) => {
    client.once('connect', () => resolve(false));
    client.once('error', () => resolve(true));
  }).finally(() => client.end(true)) as Promise<boolean>;
}

describe('over-the-air secret rotation with the virtual lock (protocol v3)', () => {
  it('rotates the secret of an online v3 lock; a command then succeeds under the new secret and the old one is refused', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    lock = new VirtualLock(app.brokerUrl, app.topics.prefix, registered, stateDir);
    await eventually(async () => ((await stored())?.protocolVersion === 3 && (await stored())?.state === 'AVAILABLE' ? true : null), WAIT_MS);
    const before = await stored();
    const offered = await gql<{ lock: { overTheAirRotationUnavailable: string | null } }>(app.httpUrl, ROTATION, { d: registered.deviceId }, owner.accessToken);
    expect(offered.data?.lock.overTheAirRotationUnavailable).toBeNull();

    const started = await gql<{ rotateDeviceSecretOverTheAir: { secretRotation: { state: string } | null } }>(app.httpUrl, ROTATE, { d: registered.deviceId }, owner.accessToken);
    expect(started.errors).toBeUndefined();
      expect(ROTATION_STARTED).toContain(started.data?.rotateDeviceSecretOverTheAir.secretRotation?.state);

    await lock.waitForStderr(/secret: the server uses the new one; switched to it/);
    const after = await eventually(async () => {
      const row = await stored();
      return row && row.rekeyId === null && row.secretSealed !== before?.secretSealed ? row : null;
    }, WAIT_MS);
    expect(after).toMatchObject({ secretPendingSealed: null, secretPreviousSealed: null, state: 'AVAILABLE' });
    const view = await gql<{ lock: { secretRotation: unknown } }>(app.httpUrl, ROTATION, { d: registered.deviceId }, owner.accessToken);
    expect(view.data?.lock.secretRotation).toBeNull();
    const audit = await gql<{ auditLog: { edges: { node: { result: string } }[] } }>(app.httpUrl, AUDIT, { d: registered.deviceId }, owner.accessToken);
    expect(audit.data?.auditLog.edges.map((edge) => edge.node.result).sort()).toEqual(['completed', 'started', 'switched']);

    expect(await run(UNLOCK)).toMatchObject({ state: 'SUCCEEDED' });
    // The original secret's password no longer opens the broker.
    expect(await brokerRefuses(registered.mqttPassword)).toBe(true);
  }, 60_000);

  it('a restarted lock keeps the new secret: it comes back online and runs a command', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    await lock?.kill('SIGKILL');
    lock = new VirtualLock(app.brokerUrl, app.topics.prefix, registered, stateDir); // configured with the ORIGINAL secret
    await lock.waitForStderr(/secret: using the one a rotation gave this lock/);
    await eventually(async () => ((await stored())?.state === 'AVAILABLE' ? true : null), WAIT_MS);
    expect(await run(LOCK)).toMatchObject({ state: 'SUCCEEDED' });
  }, 60_000);

  it('the TLS pre-shared key follows too: the lock restarted with --tls-psk logs in over TLS with its new secret', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    await lock?.kill('SIGKILL');
    lock = new VirtualLock(tlsPskBrokerUrl(app), app.topics.prefix, registered, stateDir, ['--tls-psk']);
    await eventually(async () => ((await stored())?.tlsRequired === true && (await stored())?.state === 'AVAILABLE' ? true : null), WAIT_MS).catch((error: Error) =>
      Promise.reject(new Error(`${error.message}${lock?.transcript() ?? ''}`)),
    );
    expect(await run(UNLOCK)).toMatchObject({ state: 'SUCCEEDED' });
  }, 60_000);

  it('refuses over-the-air rotation for a v2 lock (BAD_USER_INPUT naming why): it needs a flashed secret', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    const v2 = await registerLock(app, owner.accessToken);
    const v2Dir = mkdtempSync(path.join(tmpdir(), 'smartlock-rekey-v2-'));
    const v2Lock = new VirtualLock(app.brokerUrl, app.topics.prefix, v2, v2Dir, ['--protocol', '2']);
    try {
      await eventually(async () => ((await app.services.store.locks.findByDeviceId(v2.deviceId))?.protocolVersion === 2 ? true : null), WAIT_MS);
      const refused = await gql(app.httpUrl, ROTATE, { d: v2.deviceId }, owner.accessToken);
      expect(errorCodes(refused)).toEqual(['BAD_USER_INPUT']);
      expect(JSON.stringify(refused.errors)).toContain('needs v3');
    } finally {
      await v2Lock.kill('SIGKILL');
      rmSync(v2Dir, { recursive: true, force: true });
    }
  }, 60_000);
});
