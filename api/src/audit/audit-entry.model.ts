import { Field, ID, InputType, ObjectType } from 'type-graphql';
import { connectionOf } from '../graphql/connection.js';
import { encodeCursor } from '../store/cursor.js';
import type { AuditRecord } from '../store/records.js';

@ObjectType({ description: 'One audited action or event.' })
export class AuditEntry {
  @Field(() => ID)
  id: string;

  @Field()
  at: Date;

  @Field(() => String, { nullable: true, description: 'Username, or null for the system (sweeps, the broker).' })
  actor: string | null;

  @Field({ description: 'e.g. user.signIn, lock.register, command.unlock, lock.status, lock.offline, lock.reassign.' })
  action: string;

  @Field(() => ID, { nullable: true })
  deviceId: string | null;

  @Field({ description: 'e.g. ok, failed, SENT, SUCCEEDED, LOCKED, UNAVAILABLE, bad_signature.' })
  result: string;

  @Field(() => String, { nullable: true })
  detail: string | null;

  static from(record: AuditRecord): AuditEntry {
    return Object.assign(new AuditEntry(), record);
  }
}

@InputType()
export class AuditFilterInput {
  @Field(() => ID, { nullable: true, description: 'Exactly this device id.' })
  deviceId?: string;

  @Field(() => String, {
    nullable: true,
    description: "A lock's name or a device id, without regard to case: what people call the lock (a removed lock is found by its id).",
  })
  device?: string;

  @Field(() => String, { nullable: true })
  actor?: string;

  @Field(() => String, { nullable: true, description: 'An action as recorded, e.g. command.unlock.' })
  action?: string;

  @Field(() => Date, { nullable: true })
  from?: Date;

  @Field(() => Date, { nullable: true })
  to?: Date;
}

export const AuditEntryConnection = connectionOf(AuditEntry, 'AuditEntry');
export const auditCursor = (record: AuditRecord) => encodeCursor(record.id);
