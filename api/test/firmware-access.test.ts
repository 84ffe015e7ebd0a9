/**
 * Who may do what with firmware: every release and rollout operation is for admins (others get
 * FORBIDDEN, anonymous callers UNAUTHENTICATED); a lock's firmwareUpdate shows to its owner and
 * admins only; without FIRMWARE_PUBLIC_KEY everything answers FIRMWARE_DISABLED; pause, resume
 * and cancel are audited and refuse the wrong state.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCodes, gql, SIGN_IN, signUp, type AuthResult } from '../src/test-support/graphql-client.js';
import { LOCK_FIRMWARE, newReleaseKey, ROLLOUT_FIELDS, signedRelease, START_ROLLOUT } from '../src/test-support/firmware-releases.js';
import { registerLock } from '../src/test-support/locks.js';
import { startTestApp, type TestApp } from '../src/test-support/test-app.js';

const key = newReleaseKey();
const ADMIN = { ADMIN_USERNAME: 'root', ADMIN_PASSWORD: 'bootstrap password' };
const PAUSE = `mutation ($id: ID!) { pauseFirmwareRollout(id: $id) { ${ROLLOUT_FIELDS} } }`;
const RESUME = `mutation ($id: ID!) { resumeFirmwareRollout(id: $id) { ${ROLLOUT_FIELDS} } }`;
const CANCEL = `mutation ($id: ID!) { cancelFirmwareRollout(id: $id) { ${ROLLOUT_FIELDS} } }`;
const RELEASES = '{ firmwareReleases { id hw version arc size sha256 manifest } }';
const ROLLOUTS = '{ firmwareRollouts { id state } }';

let app: TestApp;
let disabled: TestApp;
let admin: AuthResult;
let user: AuthResult;
let releaseId: string;

async function signInRoot(target: TestApp): Promise<AuthResult> {
  return (await gql<{ signIn: AuthResult }>(target.httpUrl, SIGN_IN, { username: 'root', password: 'bootstrap password' })).data!.signIn;
}

beforeAll(async () => {
  // A long interval: these tests drive rollout states by hand, the job never runs meanwhile.
  app = await startTestApp({ ...ADMIN, FIRMWARE_PUBLIC_KEY: key.publicKey, FIRMWARE_ROLLOUT_INTERVAL: '1h' });
  disabled = await startTestApp(ADMIN);
  admin = await signInRoot(app);
  user = await signUp(app.httpUrl, 'plain');
  const release = signedRelease(key, '3.0.0', 4, 512);
  releaseId = (await app.services.firmware.releases.add(release.manifest, release.msig, release.image, 'root')).id;
});
afterAll(async () => {
  await app.close();
  await disabled.close();
});

describe('firmware access', () => {
  const operations = (id: string) =>
    [
      [RELEASES, {}],
      [ROLLOUTS, {}],
      [START_ROLLOUT, { r: id, s: [100], m: 0 }],
      [PAUSE, { id }],
      [RESUME, { id }],
      [CANCEL, { id }],
    ] as const;

  it('answers FORBIDDEN to a non-admin and UNAUTHENTICATED to nobody, for every firmware operation', async () => {
    for (const [query, variables] of operations(releaseId)) {
      expect(errorCodes(await gql(app.httpUrl, query, variables, user.accessToken)), query).toEqual(['FORBIDDEN']);
      expect(errorCodes(await gql(app.httpUrl, query, variables)), query).toEqual(['UNAUTHENTICATED']);
    }
    expect(await app.services.store.firmware.listRollouts()).toEqual([]);
  });

  it('lists releases for admins and checks a rollout\'s stages', async () => {
    const listed = await gql<{ firmwareReleases: { version: string; arc: number }[] }>(app.httpUrl, RELEASES, {}, admin.accessToken);
    expect(listed.data?.firmwareReleases).toMatchObject([{ version: '3.0.0', arc: 4, size: 512 }]);
    for (const stages of [[], [50], [10, 10, 100], [0, 100], [10, 101], [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 100]]) {
      expect(errorCodes(await gql(app.httpUrl, START_ROLLOUT, { r: releaseId, s: stages, m: 10 }, admin.accessToken)), JSON.stringify(stages)).toEqual(['BAD_USER_INPUT']);
    }
    expect(errorCodes(await gql(app.httpUrl, START_ROLLOUT, { r: releaseId, s: [100], m: 101 }, admin.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(app.httpUrl, START_ROLLOUT, { r: 'no-such-release', s: [100], m: 10 }, admin.accessToken))).toEqual(['NOT_FOUND']);
  });

  it('pauses, resumes and cancels (audited), refusing the wrong state and a second active rollout', async () => {
    const started = await gql<{ startFirmwareRollout: { id: string; state: string } }>(app.httpUrl, START_ROLLOUT, { r: releaseId, s: [50, 100], m: 10 }, admin.accessToken);
    const id = started.data!.startFirmwareRollout.id;
    expect(started.data?.startFirmwareRollout.state).toBe('RUNNING');
    expect(errorCodes(await gql(app.httpUrl, START_ROLLOUT, { r: releaseId, s: [100], m: 10 }, admin.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(app.httpUrl, RESUME, { id }, admin.accessToken))).toEqual(['BAD_USER_INPUT']);
    const paused = await gql<{ pauseFirmwareRollout: { state: string; pausedReason: string } }>(app.httpUrl, PAUSE, { id }, admin.accessToken);
    expect(paused.data?.pauseFirmwareRollout).toMatchObject({ state: 'PAUSED', pausedReason: 'paused by root' });
    expect((await gql<{ resumeFirmwareRollout: { state: string } }>(app.httpUrl, RESUME, { id }, admin.accessToken)).data?.resumeFirmwareRollout.state).toBe('RUNNING');
    expect((await gql<{ cancelFirmwareRollout: { state: string } }>(app.httpUrl, CANCEL, { id }, admin.accessToken)).data?.cancelFirmwareRollout.state).toBe('CANCELLED');
    expect(errorCodes(await gql(app.httpUrl, CANCEL, { id }, admin.accessToken))).toEqual(['BAD_USER_INPUT']);
    expect(errorCodes(await gql(app.httpUrl, PAUSE, { id: 'nope' }, admin.accessToken))).toEqual(['NOT_FOUND']);
    const actions = (await app.services.store.audit.query({}, { first: 50 })).items.filter((e) => e.action.startsWith('firmware.rollout.')).map((e) => `${e.action} ${e.actor}`);
    expect(actions.reverse()).toEqual(['firmware.rollout.started root', 'firmware.rollout.paused root', 'firmware.rollout.resumed root', 'firmware.rollout.cancelled root']);
  });

  it("shows a lock's firmwareUpdate to its owner and admins, and the lock to nobody else", async () => {
    const owner = await signUp(app.httpUrl, 'lockowner');
    const lock = await registerLock(app, owner.accessToken);
    await app.services.store.firmware.startLockUpdate(
      { deviceId: lock.deviceId, updateId: 'upd-test', releaseId, releaseVersion: '3.0.0', rolloutId: null, stageIndex: 0 },
      new Date(),
    );
    const asOwner = await gql<{ lock: { firmwareUpdate: unknown } }>(app.httpUrl, LOCK_FIRMWARE, { d: lock.deviceId }, owner.accessToken);
    expect(asOwner.data?.lock.firmwareUpdate).toEqual({ releaseVersion: '3.0.0', state: 'SENT', reason: null });
    const asAdmin = await gql<{ lock: { firmwareUpdate: unknown } }>(app.httpUrl, LOCK_FIRMWARE, { d: lock.deviceId }, admin.accessToken);
    expect(asAdmin.data?.lock.firmwareUpdate).toEqual({ releaseVersion: '3.0.0', state: 'SENT', reason: null });
    expect(errorCodes(await gql(app.httpUrl, LOCK_FIRMWARE, { d: lock.deviceId }, user.accessToken))).toEqual(['NOT_FOUND']);
  });

  it('answers FIRMWARE_DISABLED without FIRMWARE_PUBLIC_KEY', async () => {
    const root = await signInRoot(disabled);
    for (const [query, variables] of operations('any')) {
      expect(errorCodes(await gql(disabled.httpUrl, query, variables, root.accessToken)), query).toEqual(['FIRMWARE_DISABLED']);
    }
    const release = signedRelease(key, '3.0.0', 4, 64);
    await expect(disabled.services.firmware.releases.add(release.manifest, release.msig, release.image, null)).rejects.toMatchObject({ reason: 'disabled' });
  });
});
