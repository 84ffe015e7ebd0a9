import { Field, ID, ObjectType } from 'type-graphql';
import type { PasskeyRecord } from '../store/records.js';

@ObjectType({ description: 'One of your passkeys: a way to sign in (and to confirm it is you) with your phone, computer or security key.' })
export class Passkey {
  @Field(() => ID, { description: 'For `renamePasskey` and `removePasskey`.' })
  id: string;

  @Field({ description: 'The name you gave it.' })
  name: string;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true, description: 'When it last signed in or confirmed it was you.' })
  lastUsedAt: Date | null;

  static from(record: PasskeyRecord): Passkey {
    return Object.assign(new Passkey(), { id: record.id, name: record.name, createdAt: record.createdAt, lastUsedAt: record.lastUsedAt });
  }
}
