/**
 * Lock settings end to end with the firmware core: setLockSettings through GraphQL, the signed cfg
 * taken and acked by firmware/build/virtual-lock (protocol v2), auto-relock done by the lock, and
 * settings changed while it is down delivered after its next welcome. Built like
 * virtual-lock-e2e.test.ts: skipped when a Debian package is missing, except under CI=true.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, type TestContext } from 'vitest';
import { gql, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { COMMAND, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { registerLock, type Registered } from '../src/test-support/locks.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';
import { BUILD_TIMEOUT_MS, VirtualLock, virtualLockRigUnavailable, WAIT_MS } from '../src/test-support/virtual-lock.js';

let skipReason: string | undefined;
let app: TestApp;
let owner: AuthResult;
let registered: Registered;
let stateDir: string;
let lock: VirtualLock | undefined;

beforeAll(async () => {
  skipReason = await virtualLockRigUnavailable();
  if (skipReason) return;
  stateDir = mkdtempSync(path.join(tmpdir(), 'smartlock-settings-lock-'));
  app = await startTestApp();
  owner = await signUp(app.httpUrl, 'owner');
  registered = await registerLock(app, owner.accessToken);
}, BUILD_TIMEOUT_MS + 30_000);

afterAll(async () => {
  await lock?.kill('SIGKILL');
  await app?.close();
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
});

function startVirtualLock(): void {
  lock = new VirtualLock(app.brokerUrl, app.topics.prefix, registered, stateDir, ['--protocol', '2']);
}

const stored = () => app.services.store.locks.findByDeviceId(registered.deviceId);
const SETTINGS = `mutation ($d: ID!, $s: LockSettingsInput!) { setLockSettings(deviceId: $d, settings: $s) { state } }`;
const STATE = 'query ($d: ID!) { lock(deviceId: $d) { settings { state rejectedReason } } }';
const settingsState = async () =>
  (await gql<{ lock: { settings: { state: string } | null } }>(app.httpUrl, STATE, { d: registered.deviceId }, owner.accessToken)).data?.lock.settings?.state;
const withLog = (what: string) => `${what}${lock?.transcript() ?? ''}`;

describe('lock settings with the virtual lock (the firmware core)', () => {
  it('takes a cfg: acked → APPLIED, then relocks by itself after an unlock (src AUTO)', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    startVirtualLock();
    await eventually(async () => {
      const row = await stored();
      return row?.protocolVersion === 2 && row.state === 'AVAILABLE' && row.door === 'CLOSED';
    }, WAIT_MS).catch((error: Error) => Promise.reject(new Error(withLog(error.message))));

    const answer = await gql(app.httpUrl, SETTINGS, { d: registered.deviceId, s: { autoRelockSeconds: 1, bootAction: 'STAY', lockWhileDoorOpen: 'REFUSE' } }, owner.accessToken);
    expect(answer.errors).toBeUndefined();
    await eventually(async () => (await settingsState()) === 'APPLIED', WAIT_MS);

    const sent = await gql<{ unlock: { id: string } }>(app.httpUrl, UNLOCK, { d: registered.deviceId }, owner.accessToken);
    const id = sent.data?.unlock.id;
    if (!id) throw new Error(`unlock failed: ${JSON.stringify(sent.errors)}`);
    const done = await eventually(async () => {
      const view = (await gql<{ command: CommandView }>(app.httpUrl, COMMAND, { id }, owner.accessToken)).data?.command;
      return view && view.state !== 'SENT' ? view : null;
    }, WAIT_MS);
    expect(done.state).toBe('SUCCEEDED');
    const relocked = await eventually(async () => {
      const row = await stored();
      return row?.status === 'LOCKED' && row.lastChangeSource === 'AUTO' ? row : null;
    }, WAIT_MS);
    expect(relocked).toMatchObject({ door: 'CLOSED', boltMotion: null });
  });

  it('gets settings changed while it was down after its next welcome', async (ctx: TestContext) => {
    if (skipReason) ctx.skip(skipReason);
    await lock?.kill('SIGTERM');
    await eventually(async () => (await stored())?.state === 'UNAVAILABLE', WAIT_MS);
    const answer = await gql<{ setLockSettings: { state: string } }>(
      app.httpUrl,
      SETTINGS,
      { d: registered.deviceId, s: { autoRelockSeconds: 0, bootAction: 'STAY', lockWhileDoorOpen: 'ALLOW' } },
      owner.accessToken,
    );
    expect(answer.data?.setLockSettings.state).toBe('PENDING');

    startVirtualLock();
    // Right after its reboot the lock has no time yet: the status with its ack has ts 0 and is
    // dropped as stale, yet the ack of the recorded cfg counts (status-ingest.ts).
    await eventually(async () => (await settingsState()) === 'APPLIED', WAIT_MS).catch((error: Error) => Promise.reject(new Error(withLog(error.message))));
    const acks = await app.services.store.audit.query({ deviceId: registered.deviceId, action: 'lock.configured' }, { first: 10 });
    expect(acks.items.map((entry) => entry.result)).toEqual(['ok', 'ok']);
  });
});
