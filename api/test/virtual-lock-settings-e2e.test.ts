/**
 * Lock settings end to end with the firmware core: setLockSettings through GraphQL, the signed cfg
 * taken and acked by firmware/build/virtual-lock (protocol v2), auto-relock done by the lock, and
 * settings changed while it is down delivered after its next welcome. Built like
 * virtual-lock-e2e.test.ts: skipped when a Debian package is missing, except under CI=true.
 */
import { describe, expect, it, type TestContext } from 'vitest';
import { gql } from '../src/test-support/graphql-client.js';
import { COMMAND, UNLOCK, type CommandView } from '../src/test-support/lock-operations.js';
import { eventually } from '../src/test-support/subscriptions.js';
import { VirtualLock, WAIT_MS } from '../src/test-support/virtual-lock.js';
import { useVirtualLockRig } from '../src/test-support/virtual-lock-rig.js';

const rig = useVirtualLockRig({ username: 'owner' });

function startVirtualLock(): void {
  rig.lock = new VirtualLock(rig.app.brokerUrl, rig.app.topics.prefix, rig.registered, rig.stateDir, ['--protocol', '2']);
}

const stored = () => rig.app.services.store.locks.findByDeviceId(rig.registered.deviceId);
const SETTINGS = `mutation ($d: ID!, $s: LockSettingsInput!) { setLockSettings(deviceId: $d, settings: $s) { state } }`;
const STATE = 'query ($d: ID!) { lock(deviceId: $d) { settings { state rejectedReason } } }';
const settingsState = async () =>
  (await gql<{ lock: { settings: { state: string } | null } }>(rig.app.httpUrl, STATE, { d: rig.registered.deviceId }, rig.person.accessToken)).data?.lock.settings?.state;
const withLog = (what: string) => `${what}${rig.lock?.transcript() ?? ''}`;

describe('lock settings with the virtual lock (the firmware core)', () => {
  it('takes a cfg: acked → APPLIED, then relocks by itself after an unlock (src AUTO)', async (ctx: TestContext) => {
    if (rig.skipReason) ctx.skip(rig.skipReason);
    startVirtualLock();
    await eventually(async () => {
      const row = await stored();
      return row?.protocolVersion === 2 && row.state === 'AVAILABLE' && row.door === 'CLOSED';
    }, WAIT_MS).catch((error: Error) => Promise.reject(new Error(withLog(error.message))));

    const answer = await gql(rig.app.httpUrl, SETTINGS, { d: rig.registered.deviceId, s: { autoRelockSeconds: 1, bootAction: 'STAY', lockWhileDoorOpen: 'REFUSE' } }, rig.person.accessToken);
    expect(answer.errors).toBeUndefined();
    await eventually(async () => (await settingsState()) === 'APPLIED', WAIT_MS);

    const sent = await gql<{ unlock: { id: string } }>(rig.app.httpUrl, UNLOCK, { d: rig.registered.deviceId }, rig.person.accessToken);
    const id = sent.data?.unlock.id;
    if (!id) throw new Error(`unlock failed: ${JSON.stringify(sent.errors)}`);
    const done = await eventually(async () => {
      const view = (await gql<{ command: CommandView }>(rig.app.httpUrl, COMMAND, { id }, rig.person.accessToken)).data?.command;
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
    if (rig.skipReason) ctx.skip(rig.skipReason);
    await rig.lock?.kill('SIGTERM');
    await eventually(async () => (await stored())?.state === 'UNAVAILABLE', WAIT_MS);
    const answer = await gql<{ setLockSettings: { state: string } }>(
      rig.app.httpUrl,
      SETTINGS,
      { d: rig.registered.deviceId, s: { autoRelockSeconds: 0, bootAction: 'STAY', lockWhileDoorOpen: 'ALLOW' } },
      rig.person.accessToken,
    );
    expect(answer.data?.setLockSettings.state).toBe('PENDING');

    startVirtualLock();
    // Right after its reboot the lock has no time yet: the status with its ack has ts 0 and is
    // dropped as stale, yet the ack of the recorded cfg counts (status-ingest.ts).
    await eventually(async () => (await settingsState()) === 'APPLIED', WAIT_MS).catch((error: Error) => Promise.reject(new Error(withLog(error.message))));
    const acks = await rig.app.services.store.audit.query({ deviceId: rig.registered.deviceId, action: 'lock.configured' }, { first: 10 });
    expect(acks.items.map((entry) => entry.result)).toEqual(['ok', 'ok']);
  });
});
