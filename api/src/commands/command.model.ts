import { Field, ID, ObjectType, registerEnumType } from 'type-graphql';
import { encodeTimeIdCursor } from '../store/cursor.js';
import type { CommandRecord } from '../store/records.js';
import { connectionOf } from '../graphql/connection.js';

export enum CommandAction {
  LOCK = 'LOCK',
  UNLOCK = 'UNLOCK',
}
registerEnumType(CommandAction, { name: 'CommandAction' });

export enum CommandState {
  SENT = 'SENT',
  SUCCEEDED = 'SUCCEEDED',
  REJECTED = 'REJECTED',
  FAILED = 'FAILED',
  TIMED_OUT = 'TIMED_OUT',
  SUPERSEDED = 'SUPERSEDED',
}
registerEnumType(CommandState, {
  name: 'CommandState',
  description:
    'SENT until the lock acks (SUCCEEDED, REJECTED, FAILED), COMMAND_TIMEOUT_MS passes (TIMED_OUT), ' +
    'or a newer lock/unlock request for the same lock replaces it (SUPERSEDED; the lock refuses it if it arrives after the newer one).',
});

@ObjectType({ description: 'A signed LOCK/UNLOCK sent to a lock, and what became of it.' })
export class Command {
  @Field(() => ID)
  id: string;

  @Field(() => ID)
  deviceId: string;

  @Field(() => CommandAction)
  action: CommandAction;

  @Field(() => CommandState)
  state: CommandState;

  @Field({ description: 'Username of whoever asked.' })
  requestedBy: string;

  @Field()
  createdAt: Date;

  @Field(() => Date, { nullable: true })
  completedAt: Date | null;

  @Field(() => String, { nullable: true, description: 'Why it was rejected, failed, timed out or superseded (e.g. replay, stale, jammed, superseded by <id>).' })
  reason: string | null;

  static from(record: CommandRecord): Command {
    return Object.assign(new Command(), {
      id: record.id,
      deviceId: record.deviceId,
      action: record.action as CommandAction,
      state: record.state as CommandState,
      requestedBy: record.requestedBy,
      createdAt: record.createdAt,
      completedAt: record.completedAt,
      reason: record.reason,
    });
  }
}

export const CommandConnection = connectionOf(Command, 'Command');
export const commandCursor = (record: CommandRecord) => encodeTimeIdCursor(record.createdAt, record.id);
