import { Field, InputType, Int, ObjectType, registerEnumType } from 'type-graphql';

export enum LockAlertKind {
  DOOR_AJAR = 'DOOR_AJAR',
  LEFT_UNLOCKED = 'LEFT_UNLOCKED',
  LOCKED_DOOR_OPEN = 'LOCKED_DOOR_OPEN',
  BAD_SIGNATURES = 'BAD_SIGNATURES',
}
registerEnumType(LockAlertKind, {
  name: 'LockAlertKind',
  description:
    'DOOR_AJAR: the door has stood open longer than the lock\'s doorAjarMinutes. LEFT_UNLOCKED: unlocked longer than unlockedMinutes. ' +
    'LOCKED_DOOR_OPEN: the bolt is thrown while the door is open (protocol v2). BAD_SIGNATURES: a burst of messages with bad signatures (forged, or a lock with the wrong key).',
});

@ObjectType({ description: 'A condition that needs a person, in force since `since`; it clears by itself when the condition ends.' })
export class LockAlertView {
  @Field(() => LockAlertKind)
  kind: LockAlertKind;

  @Field({ description: 'What to show, e.g. "Door left open".' })
  message: string;

  @Field()
  since: Date;
}

@ObjectType({ description: "The owner's alert thresholds; null means that alert is off." })
export class LockAlertSettings {
  @Field(() => Int, { nullable: true })
  doorAjarMinutes: number | null;

  @Field(() => Int, { nullable: true })
  unlockedMinutes: number | null;
}

@InputType({ description: 'Minutes (1 to 10080, a week); null turns the alert off; an omitted field is left as it is.' })
export class LockAlertsInput {
  @Field(() => Int, { nullable: true })
  doorAjarMinutes?: number | null;

  @Field(() => Int, { nullable: true })
  unlockedMinutes?: number | null;
}
