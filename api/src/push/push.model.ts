import { Field, ID, InputType, ObjectType, registerEnumType } from 'type-graphql';
import type { PushSubscriptionRecord } from '../store/push-records.js';

export enum PushKind {
  CHANGED_BY_OTHERS = 'CHANGED_BY_OTHERS',
  CHANGED_BY_HAND = 'CHANGED_BY_HAND',
  WENT_OFFLINE = 'WENT_OFFLINE',
  JAMMED = 'JAMMED',
  LOW_BATTERY = 'LOW_BATTERY',
  COMMAND_FAILED = 'COMMAND_FAILED',
  DOOR_AJAR = 'DOOR_AJAR',
  LEFT_UNLOCKED = 'LEFT_UNLOCKED',
  FORGED_MESSAGES = 'FORGED_MESSAGES',
  NEW_SIGN_IN = 'NEW_SIGN_IN',
}
registerEnumType(PushKind, {
  name: 'PushKind',
  description:
    'What a push notification can be about. Per lock: CHANGED_BY_OTHERS (locked or unlocked by another user), CHANGED_BY_HAND (by hand, protocol v2), WENT_OFFLINE, JAMMED, LOW_BATTERY, COMMAND_FAILED, DOOR_AJAR (door left open, or bolt thrown into an open door), LEFT_UNLOCKED, FORGED_MESSAGES (a burst of bad signatures). Per account: NEW_SIGN_IN.',
});

@InputType({ description: "A browser's PushSubscription (subscription.toJSON()): its endpoint and keys." })
export class PushSubscriptionInput {
  @Field()
  endpoint: string;

  @Field({ description: "The browser's ECDH P-256 public key, base64url." })
  p256dh: string;

  @Field({ description: 'The 16-byte auth secret, base64url.' })
  auth: string;
}

@ObjectType({ description: 'A browser that receives push notifications for the signed-in user.' })
export class PushDevice {
  @Field(() => ID)
  id: string;

  @Field()
  endpoint: string;

  @Field()
  deviceLabel: string;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'The last push its push service accepted.' })
  lastSuccessAt: Date | null;

  static from(record: PushSubscriptionRecord): PushDevice {
    return Object.assign(new PushDevice(), {
      id: record.id,
      endpoint: record.endpoint,
      deviceLabel: record.deviceLabel,
      createdAt: record.createdAt,
      lastSuccessAt: record.lastSuccessAt,
    });
  }
}

@ObjectType({ description: 'Whether the signed-in user is told about one kind of event (on unless turned off).' })
export class PushPreference {
  @Field(() => ID, { nullable: true, description: 'The lock; null for account kinds (NEW_SIGN_IN).' })
  deviceId: string | null;

  @Field(() => PushKind)
  kind: PushKind;

  @Field()
  enabled: boolean;
}
