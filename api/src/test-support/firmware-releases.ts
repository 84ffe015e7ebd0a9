/** Firmware fixtures for tests: a release key made in the test, signed releases, locks that take updates. */
import { randomBytes } from 'node:crypto';
import { formatManifest } from '../firmware/manifest.js';
import { describePublicKey, newReleaseKeyPair, signManifest } from '../firmware/release-signature.js';
import { sha256Hex } from '../firmware/verify-release.js';
import type { SimulatedLock } from '../simulator/simulated-lock.js';
import { gql, type AuthResult } from './graphql-client.js';
import { registerLock, startLock } from './locks.js';
import type { TestApp } from './test-app.js';

export interface ReleaseKey {
  privateKey: ReturnType<typeof newReleaseKeyPair>['privateKey'];
  /** FIRMWARE_PUBLIC_KEY (base64 SPKI). */
  publicKey: string;
}

export function newReleaseKey(): ReleaseKey {
  const { privateKey, publicKey } = newReleaseKeyPair();
  return { privateKey, publicKey: describePublicKey(publicKey).spkiBase64 };
}

export interface SignedRelease {
  image: Buffer;
  manifest: string;
  msig: string;
}

export function signedRelease(key: ReleaseKey, fw: string, arc: number, size = 4096, hw = 'esp32'): SignedRelease {
  const image = randomBytes(size);
  const manifest = formatManifest({ hw, fw, arc, size, sha256: sha256Hex(image) });
  return { image, manifest, msig: signManifest(key.privateKey, manifest) };
}

export const ROLLOUT_FIELDS = 'id state stageIndex pausedReason stages stageCounts { stage percent sent inProgress confirmed failed } locks { deviceId stage state reason }';
export const START_ROLLOUT = `mutation ($r: ID!, $s: [Int!]!, $m: Int!) { startFirmwareRollout(releaseId: $r, stages: $s, maxFailurePercent: $m) { ${ROLLOUT_FIELDS} } }`;
export const ROLLOUTS = `{ firmwareRollouts { ${ROLLOUT_FIELDS} } }`;
export const LOCK_FIRMWARE = 'query ($d: ID!) { lock(deviceId: $d) { deviceId firmware firmwareUpdate { releaseVersion state reason } } }';

export interface RolloutView {
  id: string;
  state: string;
  stageIndex: number;
  pausedReason: string | null;
  stages: number[];
  stageCounts: { stage: number; percent: number; sent: number; inProgress: number; confirmed: number; failed: number }[];
  locks: { deviceId: string; stage: number; state: string; reason: string | null }[];
}

export async function rolloutsOf(app: Pick<TestApp, 'httpUrl'>, token: string): Promise<RolloutView[]> {
  const response = await gql<{ firmwareRollouts: RolloutView[] }>(app.httpUrl, ROLLOUTS, {}, token);
  if (!response.data) throw new Error(JSON.stringify(response.errors));
  return response.data.firmwareRollouts;
}

/** Registers `count` locks for `owner` and starts them as v3 simulated locks that take signed updates. */
export async function startUpdatableLocks(
  app: TestApp,
  owner: AuthResult,
  count: number,
  options: { releasePublicKey: string; fail?: 'bad_hash' | 'roll_back'; firmware?: string },
): Promise<SimulatedLock[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const lock = await registerLock(app, owner.accessToken);
      const sim = await startLock(app, lock, {
        protocol: 3,
        firmware: options.firmware ?? '2.0.0',
        helloRetryMs: 500,
        firmwareUpdates: {
          releasePublicKey: options.releasePublicKey,
          arc: 1,
          ...(options.fail ? { fail: options.fail } : {}),
        },
      });
      return sim;
    }),
  );
}
