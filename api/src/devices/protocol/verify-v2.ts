/**
 * Protocol v2 and v3 verification (docs/protocol.md §11, §13): the v1 check
 * order and strict parser, with `"v":2` or `"v":3` and the purpose key of the
 * topic's direction (`status` for lock → server, `cmd` for server → lock)
 * instead of K. Which types each version has: versions.ts.
 */
import {
  cfgMessage,
  commandMessageV2,
  helloMessage,
  resetMessage,
  timeMessageV2,
  welcomeMessage,
  type CfgMessage,
  type CommandMessageV2,
  type HelloMessage,
  type ResetMessage,
  type StatusMessageV2,
  type TimeMessageV2,
  type WelcomeMessage,
} from './messages-v2.js';
import { rekeyMessage, type RekeyMessage } from './messages-v3.js';
import { updateMessage, type UpdateMessage } from './messages-v3-update.js';
import { blerevMessage, type BlerevMessage } from './messages-v3-ble.js';
import { checkStatusV2 } from './status-validator-v2.js';
import { verifyMessage, zodCheck, type FieldCheck, type Verified } from './verify.js';
import { KEYED_VERSIONS, LOCK_TYPES, SERVER_TYPES, type KeyedVersion } from './versions.js';

/** Lock → server messages of v2 and v3 (a new v3 type joins this union and `lockChecks`). */
export type LockMessageV2 = HelloMessage | StatusMessageV2 | ResetMessage;
/** Server → lock messages of v2 and v3 (a new v3 type joins this union and `serverChecks`). */
export type ServerMessageV2 = CommandMessageV2 | TimeMessageV2 | WelcomeMessage | CfgMessage | RekeyMessage | UpdateMessage | BlerevMessage;

export type LockTypeV2 = LockMessageV2['type'];
export type ServerTypeV2 = ServerMessageV2['type'];

const lockChecks: Record<LockTypeV2, FieldCheck<LockMessageV2>> = {
  hello: zodCheck(helloMessage),
  status: checkStatusV2, // by hand: the heartbeat's check (status-validator-v2.ts)
  reset: zodCheck(resetMessage),
};
const serverChecks: Record<ServerTypeV2, FieldCheck<ServerMessageV2>> = {
  cmd: zodCheck(commandMessageV2),
  time: zodCheck(timeMessageV2),
  welcome: zodCheck(welcomeMessage),
  cfg: zodCheck(cfgMessage),
  rekey: zodCheck(rekeyMessage),
  update: zodCheck(updateMessage),
  blerev: zodCheck(blerevMessage),
};

/** Whether a type travels lock → server (status topic, `status` key). */
export function isLockType(type: string): type is LockTypeV2 {
  return Object.hasOwn(lockChecks, type);
}

/** Picks the field check by the (already type-checked) `type` member. */
function byType<T>(checks: Record<string, FieldCheck<T>>): FieldCheck<T> {
  return (body) => {
    const type = (body as { type?: unknown }).type;
    const check = typeof type === 'string' && Object.hasOwn(checks, type) ? checks[type] : undefined;
    return check ? check(body) : { ok: false, detail: 'type: unknown' };
  };
}

/** The asked types that exist under each of the receiver's versions (versions.ts). */
function typesByVersion(table: Record<KeyedVersion, readonly string[]>, types: readonly string[], versions: readonly KeyedVersion[]): Partial<Record<number, readonly string[]>> {
  return Object.fromEntries(versions.map((version) => [version, table[version].filter((type) => types.includes(type))]));
}

// The casts narrow the union to the asked types: `verifyMessage` has already refused any other `type`.
/**
 * A lock → server message of v2 or v3, arriving on the status topic, checked with the lock's
 * `status` key. `versions`: what the receiver takes (the server takes every keyed version and
 * then compares `v` with the lock's stored one).
 */
export function verifyFromLockV2<K extends LockTypeV2>(statusKey: Buffer, payload: string, topicDevice: string, types: readonly K[], versions: readonly KeyedVersion[] = KEYED_VERSIONS): Verified<Extract<LockMessageV2, { type: K }>> {
  return verifyMessage(statusKey, payload, topicDevice, { typesByVersion: typesByVersion(LOCK_TYPES, types, versions), checkFields: byType<LockMessageV2>(lockChecks) as FieldCheck<Extract<LockMessageV2, { type: K }>> });
}

/**
 * A server → lock message of v2 or v3, arriving on the cmd topic, checked with the lock's `cmd`
 * key. A lock passes the one version it was welcomed into (a welcome itself is always v2).
 */
export function verifyFromServerV2<K extends ServerTypeV2>(cmdKey: Buffer, payload: string, topicDevice: string, types: readonly K[], versions: readonly KeyedVersion[] = KEYED_VERSIONS): Verified<Extract<ServerMessageV2, { type: K }>> {
  return verifyMessage(cmdKey, payload, topicDevice, { typesByVersion: typesByVersion(SERVER_TYPES, types, versions), checkFields: byType<ServerMessageV2>(serverChecks) as FieldCheck<Extract<ServerMessageV2, { type: K }>> });
}
