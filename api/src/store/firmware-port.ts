import type {
  FirmwareReleaseRecord,
  FirmwareRolloutRecord,
  LockFirmwareUpdateRecord,
  LockUpdateState,
  NewFirmwareRelease,
  NewFirmwareRollout,
  NewLockFirmwareUpdate,
  RolloutPatch,
} from './firmware-records.js';

/** Releases, rollouts and per-lock updates. Every change is one conditional write, safe across replicas. */
export interface FirmwareRepository {
  /** @throws DuplicateKeyError('release') when that hw already has that version or the image is another release's */
  addRelease(release: NewFirmwareRelease): Promise<FirmwareReleaseRecord>;
  findRelease(id: string): Promise<FirmwareReleaseRecord | null>;
  findReleaseBySha256(sha256: string): Promise<FirmwareReleaseRecord | null>;
  /** Newest first. */
  listReleases(): Promise<FirmwareReleaseRecord[]>;
  createRollout(rollout: NewFirmwareRollout): Promise<FirmwareRolloutRecord>;
  findRollout(id: string): Promise<FirmwareRolloutRecord | null>;
  /** Newest first. */
  listRollouts(): Promise<FirmwareRolloutRecord[]>;
  /** Applies `patch` only if the rollout is still at `revision` (and bumps it); null when it changed meanwhile. */
  updateRollout(id: string, revision: number, patch: RolloutPatch): Promise<FirmwareRolloutRecord | null>;
  /**
   * Records an update sent to a lock (state SENT), replacing its previous one only if that one is
   * final (or there is none). Null when the lock has an update under way or does not exist.
   */
  startLockUpdate(update: NewLockFirmwareUpdate, at: Date): Promise<LockFirmwareUpdateRecord | null>;
  /** Moves the lock's update `updateId` to `state` unless it is already final; null when it is not that update or is final. */
  progressLockUpdate(deviceId: string, updateId: string, state: LockUpdateState, reason: string | null, at: Date): Promise<LockFirmwareUpdateRecord | null>;
  findLockUpdate(deviceId: string): Promise<LockFirmwareUpdateRecord | null>;
  findLockUpdates(deviceIds: readonly string[]): Promise<LockFirmwareUpdateRecord[]>;
  listLockUpdatesByRollout(rolloutId: string): Promise<LockFirmwareUpdateRecord[]>;
}
