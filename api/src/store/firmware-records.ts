/** Firmware releases, staged rollouts and each lock's update (issue 13 item 4). */

/** A verified release: the manifest's fields, its signed line and signature, and who added it. */
export interface FirmwareReleaseRecord {
  id: string;
  hw: string;
  version: string;
  arc: number;
  size: number;
  sha256: string;
  manifest: string;
  msig: string;
  addedBy: string | null;
  addedAt: Date;
}
export type NewFirmwareRelease = Omit<FirmwareReleaseRecord, 'id' | 'addedAt'>;

export type RolloutState = 'RUNNING' | 'PAUSED' | 'CANCELLED' | 'COMPLETED';

export interface FirmwareRolloutRecord {
  id: string;
  releaseId: string;
  /** Cumulative percentages of the eligible locks, ascending, the last 100. */
  stages: number[];
  /** Index into `stages` of the stage under way (or where it paused). */
  stageIndex: number;
  /** Failures above this percent of a stage's locks pause the rollout. */
  maxFailurePercent: number;
  state: RolloutState;
  /** Why it paused (failures, or the admin), null while running. */
  pausedReason: string | null;
  startedBy: string;
  /** Bumped on every change: updates are compare-and-set on it, so replicas never apply one step twice. */
  revision: number;
  createdAt: Date;
  updatedAt: Date;
}
export type NewFirmwareRollout = Pick<FirmwareRolloutRecord, 'releaseId' | 'stages' | 'maxFailurePercent' | 'startedBy'>;
export type RolloutPatch = Partial<Pick<FirmwareRolloutRecord, 'stageIndex' | 'state' | 'pausedReason'>>;

/** The lock's own progress states (docs/protocol.md, firmware updates) plus the server's SENT and TIMED_OUT. */
export const LOCK_UPDATE_STATES = ['SENT', 'DOWNLOADING', 'VERIFYING', 'REBOOTING', 'TRIAL', 'CONFIRMED', 'FAILED', 'ROLLED_BACK', 'TIMED_OUT'] as const;
export type LockUpdateState = (typeof LOCK_UPDATE_STATES)[number];
export const FINAL_UPDATE_STATES: readonly LockUpdateState[] = ['CONFIRMED', 'FAILED', 'ROLLED_BACK', 'TIMED_OUT'];

/** A lock's latest update: one per lock, replaced by the next. */
export interface LockFirmwareUpdateRecord {
  deviceId: string;
  /** The `update` message's id (`upd-<uuid>`): progress for another id is ignored. */
  updateId: string;
  releaseId: string;
  releaseVersion: string;
  rolloutId: string | null;
  stageIndex: number;
  state: LockUpdateState;
  reason: string | null;
  sentAt: Date;
  updatedAt: Date;
}
export type NewLockFirmwareUpdate = Omit<LockFirmwareUpdateRecord, 'state' | 'reason' | 'sentAt' | 'updatedAt'>;
