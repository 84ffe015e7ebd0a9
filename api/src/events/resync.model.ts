import { Field, ObjectType, registerEnumType } from 'type-graphql';
import type { AppEvents } from './events.js';

export enum ResyncReason {
  RECONNECTED = 'RECONNECTED',
  PUBLISH_FAILED = 'PUBLISH_FAILED',
}
registerEnumType(ResyncReason, {
  name: 'ResyncReason',
  description: "RECONNECTED: this api's pub/sub connection between replicas is back. PUBLISH_FAILED: another replica could not pass its events on.",
});

@ObjectType({ description: 'Live events may have been missed: reload what you show (e.g. `locks`) instead of trusting the stream.' })
export class Resync {
  @Field(() => ResyncReason)
  reason: ResyncReason;

  @Field({ description: 'When the api noticed.' })
  at: Date;

  static from(event: AppEvents['bus.resync']): Resync {
    const reason = event.reason === 'reconnected' ? ResyncReason.RECONNECTED : ResyncReason.PUBLISH_FAILED;
    return Object.assign(new Resync(), { reason, at: event.at });
  }
}
