import { Field, ID, ObjectType } from 'type-graphql';
import type { SessionSummary } from './sessions.service.js';

@ObjectType({ description: 'One of your signed-in sessions (a browser or app that stays signed in by refreshing its tokens).' })
export class UserSession {
  @Field(() => ID, { description: 'Give it to `endSession` to sign that session out.' })
  id: string;

  @Field({ description: 'When it signed in.' })
  createdAt: Date;

  @Field({ description: 'When it last renewed its tokens (about every 15 minutes while in use).' })
  lastUsedAt: Date;

  @Field({ description: 'Browser and system, as its User-Agent says (the client chooses it: a hint, not proof).' })
  device: string;

  @Field(() => String, { nullable: true, description: 'The address it last renewed from (behind TRUST_PROXY hops, the client the proxies saw).' })
  clientAddress: string | null;

  @Field({ description: 'True for the session asking.' })
  current: boolean;

  static from(summary: SessionSummary): UserSession {
    return Object.assign(new UserSession(), summary);
  }
}
