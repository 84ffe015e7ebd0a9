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

/** The behaviour values themselves, one definition for what the owner sends and what is shown back (no GraphQL type of its own). */
@InputType('LockBehaviourInput')
@ObjectType('LockBehaviour')
abstract class LockBehaviour {
  @Field(() => Int)
  autoRelockSeconds: number;

  @Field(() => BootAction)
  bootAction: BootAction;

  @Field(() => LockWhileDoorOpen)
  lockWhileDoorOpen: LockWhileDoorOpen;
}

@InputType({ description: 'A lock\'s behaviour (docs/protocol.md §11.8). Every field is required: the lock replaces its whole configuration.' })
export class LockSettingsInput extends LockBehaviour {
  declare autoRelockSeconds: number;
}
// Only the input documents the accepted range: its field is redefined with that description
// (applied by hand because TypeScript allows no decorator on a `declare` field).
Field(() => Int, { description: 'Relock this many seconds after unlocking, once the door is closed; 0 = off. 0..3600.' })(LockSettingsInput.prototype, 'autoRelockSeconds');

@ObjectType({ description: 'The settings the owner wants for a lock, and whether the lock has applied them.' })
export class LockSettings extends LockBehaviour {
  @Field(() => ID)
  deviceId: string;

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
