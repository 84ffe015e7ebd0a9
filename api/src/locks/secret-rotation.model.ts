import { Field, ObjectType, registerEnumType } from 'type-graphql';

export enum SecretRotationState {
  SENT = 'SENT',
  CONFIRMING = 'CONFIRMING',
}
registerEnumType(SecretRotationState, {
  name: 'SecretRotationState',
  description:
    'SENT: the new secret is stored beside the current one and sent to the lock, waiting for its ack (sent again whenever it reconnects). CONFIRMING: the lock stored it and the server switched; waiting for the lock to sign with it.',
});

@ObjectType({ description: 'An over-the-air secret rotation under way (docs/protocol.md §13.3).' })
export class SecretRotation {
  @Field(() => SecretRotationState)
  state!: SecretRotationState;

  @Field(() => Date, { nullable: true })
  startedAt!: Date | null;
}
