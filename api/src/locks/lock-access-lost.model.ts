import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import type { AppEvents } from '../events/events.js';

export enum LockAccessLostReason {
  REMOVED = 'REMOVED',
  REASSIGNED = 'REASSIGNED',
  TRANSFERRED = 'TRANSFERRED',
  SHARE_REVOKED = 'SHARE_REVOKED',
}
registerEnumType(LockAccessLostReason, {
  name: 'LockAccessLostReason',
  description: 'REMOVED: the lock was removed (by its owner or an admin). REASSIGNED: an admin gave the lock to another user. TRANSFERRED: you offered the lock to another user, who accepted. SHARE_REVOKED: your share of the lock ended (revoked or narrowed to nothing by its owner, you left it, or the lock changed hands).',
});

const REASONS: Record<AppEvents['lock.accessLost']['reason'], LockAccessLostReason> = {
  removed: LockAccessLostReason.REMOVED,
  reassigned: LockAccessLostReason.REASSIGNED,
  transferred: LockAccessLostReason.TRANSFERRED,
  shareRevoked: LockAccessLostReason.SHARE_REVOKED,
};

@ObjectType({ description: 'A lock you could see is no longer yours to see: drop it from what you show.' })
export class LockAccessLost {
  @Field(() => ID)
  deviceId: string;

  @Field(() => LockAccessLostReason)
  reason: LockAccessLostReason;

  @Field({ description: 'When the api noticed.' })
  at: Date;

  static from(event: AppEvents['lock.accessLost']): LockAccessLost {
    const reason = REASONS[event.reason];
    return Object.assign(new LockAccessLost(), { deviceId: event.deviceId, reason, at: event.at });
  }
}
