import { Field, ID, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';
import type { LockSettingsView } from './lock-settings.service.js';
import { Lock } from './lock.model.js';

export enum BootAction {
  STAY = 'STAY',
  LOCK = 'LOCK',
}
registerEnumType(BootAction, { name: 'BootAction', description: 'What a lock does at boot: STAY (do not move, sense and report) or LOCK.' });

export enum LockWhileDoorOpen {
  REFUSE = 'REFUSE',
  ALLOW = 'ALLOW',
}
registerEnumType(LockWhileDoorOpen, { name: 'LockWhileDoorOpen', description: 'Whether a lock throws its bolt while its door is open.' });

export enum LockSettingsState {
  APPLIED = 'APPLIED',
  PENDING = 'PENDING',
  REJECTED = 'REJECTED',
  NEEDS_PROTOCOL_V2 = 'NEEDS_PROTOCOL_V2',
}
registerEnumType(LockSettingsState, {
  name: 'LockSettingsState',
  description:
    'APPLIED: the lock acked them. PENDING: sent, or sent when the v2 lock next connects. REJECTED: the lock refused them (rejectedReason); sent again at its next connection. NEEDS_PROTOCOL_V2: stored, but the lock speaks protocol v1 and cannot take them until its firmware speaks v2.',
});

@InputType({ description: 'A lock\'s behaviour (docs/protocol.md §11.8). Every field is required: the lock replaces its whole configuration.' })
export class LockSettingsInput {
  @Field(() => Int, { description: 'Relock this many seconds after unlocking, once the door is closed; 0 = off. 0..3600.' })
  autoRelockSeconds: number;

  @Field(() => BootAction)
  bootAction: BootAction;

  @Field(() => LockWhileDoorOpen)
  lockWhileDoorOpen: LockWhileDoorOpen;
}

@ObjectType({ description: 'The settings the owner wants for a lock, and whether the lock has applied them.' })
export class LockSettings {
  @Field(() => ID)
  deviceId: string;

  @Field(() => Int)
  autoRelockSeconds: number;

  @Field(() => BootAction)
  bootAction: BootAction;

  @Field(() => LockWhileDoorOpen)
  lockWhileDoorOpen: LockWhileDoorOpen;

  @Field(() => LockSettingsState)
  state: LockSettingsState;

  @Field({ description: 'True once the lock acked these settings; false while pending (see state).' })
  settingsApplied: boolean;

  @Field(() => String, { nullable: true, description: 'Why the lock refused them (state REJECTED).' })
  rejectedReason: string | null;

  @Field({ description: 'Who last changed them.' })
  updatedBy: string;

  @Field()
  updatedAt: Date;

  @Field(() => Date, { nullable: true })
  appliedAt: Date | null;

  @Field(() => Lock)
  lock: Lock;

  static from({ lock, settings, state }: LockSettingsView): LockSettings {
    return Object.assign(new LockSettings(), {
      deviceId: settings.deviceId,
      autoRelockSeconds: settings.relock,
      bootAction: settings.boot as BootAction,
      lockWhileDoorOpen: settings.lockOpen as LockWhileDoorOpen,
      state: state as LockSettingsState,
      settingsApplied: state === 'APPLIED',
      rejectedReason: settings.rejectedReason,
      updatedBy: settings.updatedBy,
      updatedAt: settings.updatedAt,
      appliedAt: settings.appliedAt,
      lock: Lock.from(lock),
    });
  }
}
