/**
 * Protocol v2 verification (docs/protocol.md §11): the v1 check order and
 * strict parser, with `"v":2` and the purpose key of the topic's direction
 * (`status` for lock → server, `cmd` for server → lock) instead of K.
 */
import {
  cfgMessage,
  commandMessageV2,
  helloMessage,
  statusMessageV2,
  timeMessageV2,
  welcomeMessage,
  type CfgMessage,
  type CommandMessageV2,
  type HelloMessage,
  type StatusMessageV2,
  type TimeMessageV2,
  type WelcomeMessage,
} from './messages-v2.js';
import { verifyMessage, zodCheck, type FieldCheck, type Verified } from './verify.js';

/** Lock → server messages of v2. */
export type LockMessageV2 = HelloMessage | StatusMessageV2;
/** Server → lock messages of v2. */
export type ServerMessageV2 = CommandMessageV2 | TimeMessageV2 | WelcomeMessage | CfgMessage;

export type LockTypeV2 = LockMessageV2['type'];
export type ServerTypeV2 = ServerMessageV2['type'];

const lockChecks: Record<LockTypeV2, FieldCheck<LockMessageV2>> = {
  hello: zodCheck(helloMessage),
  status: zodCheck(statusMessageV2),
};
const serverChecks: Record<ServerTypeV2, FieldCheck<ServerMessageV2>> = {
  cmd: zodCheck(commandMessageV2),
  time: zodCheck(timeMessageV2),
  welcome: zodCheck(welcomeMessage),
  cfg: zodCheck(cfgMessage),
};

/** Picks the field check by the (already type-checked) `type` member. */
function byType<T>(checks: Record<string, FieldCheck<T>>): FieldCheck<T> {
  return (body) => {
    const type = (body as { type?: unknown }).type;
    const check = typeof type === 'string' && Object.hasOwn(checks, type) ? checks[type] : undefined;
    return check ? check(body) : { ok: false, detail: 'type: unknown' };
  };
}

// The casts narrow the union to the asked types: `verifyMessage` has already refused any other `type`.
/** A v2 lock → server message, arriving on the status topic, checked with the lock's `status` key. */
export function verifyFromLockV2<K extends LockTypeV2>(statusKey: Buffer, payload: string, topicDevice: string, types: readonly K[]): Verified<Extract<LockMessageV2, { type: K }>> {
  return verifyMessage(statusKey, payload, topicDevice, { version: 2, types, checkFields: byType<LockMessageV2>(lockChecks) as FieldCheck<Extract<LockMessageV2, { type: K }>> });
}

/** A v2 server → lock message, arriving on the cmd topic, checked with the lock's `cmd` key. */
export function verifyFromServerV2<K extends ServerTypeV2>(cmdKey: Buffer, payload: string, topicDevice: string, types: readonly K[]): Verified<Extract<ServerMessageV2, { type: K }>> {
  return verifyMessage(cmdKey, payload, topicDevice, { version: 2, types, checkFields: byType<ServerMessageV2>(serverChecks) as FieldCheck<Extract<ServerMessageV2, { type: K }>> });
}
