import { Field, ID, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { FirmwareReleaseRecord, FirmwareRolloutRecord, LockFirmwareUpdateRecord, LockUpdateState } from '../store/firmware-records.js';

export enum FirmwareUpdateState {
  SENT = 'SENT',
  DOWNLOADING = 'DOWNLOADING',
  VERIFYING = 'VERIFYING',
  REBOOTING = 'REBOOTING',
  TRIAL = 'TRIAL',
  CONFIRMED = 'CONFIRMED',
  FAILED = 'FAILED',
  ROLLED_BACK = 'ROLLED_BACK',
  TIMED_OUT = 'TIMED_OUT',
}
registerEnumType(FirmwareUpdateState, {
  name: 'FirmwareUpdateState',
  description:
    'SENT: the signed update went out. DOWNLOADING, VERIFYING, REBOOTING: as the lock reports. TRIAL: the new image runs, not yet confirmed. CONFIRMED: kept. FAILED: refused or failed before switching (reason). ROLLED_BACK: the new image was not kept (reason). TIMED_OUT: no outcome within FIRMWARE_UPDATE_TIMEOUT.',
});

export enum FirmwareRolloutState {
  RUNNING = 'RUNNING',
  PAUSED = 'PAUSED',
  CANCELLED = 'CANCELLED',
  COMPLETED = 'COMPLETED',
}
registerEnumType(FirmwareRolloutState, { name: 'FirmwareRolloutState' });

@ObjectType({ description: "A lock's latest firmware update." })
export class LockFirmwareUpdate {
  @Field({ description: 'The version being installed.' })
  releaseVersion: string;

  @Field(() => FirmwareUpdateState)
  state: FirmwareUpdateState;

  @Field(() => String, { nullable: true, description: 'Why it failed or rolled back (the lock\'s reason, e.g. bad_hash, no_welcome).' })
  reason: string | null;

  @Field()
  updatedAt: Date;

  static from(update: LockFirmwareUpdateRecord): LockFirmwareUpdate {
    return Object.assign(new LockFirmwareUpdate(), {
      releaseVersion: update.releaseVersion,
      state: update.state as FirmwareUpdateState,
      reason: update.reason,
      updatedAt: update.updatedAt,
    });
  }
}

@ObjectType({ description: 'A signed firmware release (admin only).' })
export class FirmwareRelease {
  @Field(() => ID)
  id: string;

  @Field({ description: 'Hardware id from the manifest, e.g. esp32.' })
  hw: string;

  @Field()
  version: string;

  @Field(() => Int, { description: 'Anti-rollback counter: a lock refuses a release below its stored one.' })
  arc: number;

  @Field(() => Int)
  size: number;

  @Field()
  sha256: string;

  @Field({ description: 'The signed manifest line.' })
  manifest: string;

  @Field()
  addedAt: Date;

  static from(release: FirmwareReleaseRecord): FirmwareRelease {
    const { id, hw, version, arc, size, sha256, manifest, addedAt } = release;
    return Object.assign(new FirmwareRelease(), { id, hw, version, arc, size, sha256, manifest, addedAt });
  }
}

@ObjectType({ description: "One lock's update within a rollout." })
export class FirmwareRolloutLock {
  @Field(() => ID)
  deviceId: string;

  @Field(() => Int, { description: 'The stage (0-based) that sent it.' })
  stage: number;

  @Field(() => FirmwareUpdateState)
  state: FirmwareUpdateState;

  @Field(() => String, { nullable: true })
  reason: string | null;

  @Field()
  updatedAt: Date;
}

@ObjectType({ description: 'How many locks of a stage are where.' })
export class FirmwareStageCounts {
  @Field(() => Int)
  stage: number;

  @Field(() => Int)
  percent: number;

  @Field(() => Int)
  sent: number;

  @Field(() => Int, { description: 'Still under way (SENT to TRIAL).' })
  inProgress: number;

  @Field(() => Int)
  confirmed: number;

  @Field(() => Int, { description: 'FAILED, ROLLED_BACK or TIMED_OUT.' })
  failed: number;
}

@ObjectType({ description: 'A staged rollout of a release (admin only).' })
export class FirmwareRollout {
  @Field(() => ID)
  id: string;

  @Field(() => FirmwareRelease)
  release: FirmwareRelease;

  @Field(() => [Int], { description: 'Cumulative percentages of the eligible locks.' })
  stages: number[];

  @Field(() => Int, { description: 'The stage under way (0-based).' })
  stageIndex: number;

  @Field(() => Int)
  maxFailurePercent: number;

  @Field(() => FirmwareRolloutState)
  state: FirmwareRolloutState;

  @Field(() => String, { nullable: true, description: 'Why it is paused (failures, or who paused it).' })
  pausedReason: string | null;

  @Field()
  startedBy: string;

  @Field()
  createdAt: Date;

  @Field()
  updatedAt: Date;

  @Field(() => [FirmwareStageCounts])
  stageCounts: FirmwareStageCounts[];

  @Field(() => [FirmwareRolloutLock], { description: 'Every lock sent this release by the rollout, by device id.' })
  locks: FirmwareRolloutLock[];

  static from(rollout: FirmwareRolloutRecord, release: FirmwareReleaseRecord, updates: LockFirmwareUpdateRecord[]): FirmwareRollout {
    const failed = (state: LockUpdateState) => state === 'FAILED' || state === 'ROLLED_BACK' || state === 'TIMED_OUT';
    const stageCounts = rollout.stages.map((percent, stage) => {
      const of = updates.filter((u) => u.stageIndex === stage);
      const confirmed = of.filter((u) => u.state === 'CONFIRMED').length;
      const failures = of.filter((u) => failed(u.state)).length;
      return Object.assign(new FirmwareStageCounts(), { stage, percent, sent: of.length, confirmed, failed: failures, inProgress: of.length - confirmed - failures });
    });
    const locks = updates.map((u) =>
      Object.assign(new FirmwareRolloutLock(), { deviceId: u.deviceId, stage: u.stageIndex, state: u.state as FirmwareUpdateState, reason: u.reason, updatedAt: u.updatedAt }),
    );
    const { id, stages, stageIndex, maxFailurePercent, pausedReason, startedBy, createdAt, updatedAt } = rollout;
    return Object.assign(new FirmwareRollout(), {
      id,
      release: FirmwareRelease.from(release),
      stages,
      stageIndex,
      maxFailurePercent,
      state: rollout.state as FirmwareRolloutState,
      pausedReason,
      startedBy,
      createdAt,
      updatedAt,
      stageCounts,
      locks,
    });
  }
}
