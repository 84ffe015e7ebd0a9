/**
 * What the lock answered over Bluetooth, in words (the verdicts of docs/protocol.md, BLE: the
 * lock's checks in order), and what went wrong before it could answer.
 */
import type { BleOp, OfflineKey } from './ble-messages';
import { formatLockTime } from './zoned-time';

/** How an "Open nearby" or "Lock nearby" ended. */
export type NearbyOutcome =
  | { kind: 'ok'; op: BleOp; status: string }
  | { kind: 'rejected'; reason: string }
  /** The lock said ok without a valid signature: not believed (someone else may be answering). */
  | { kind: 'unconfirmed' }
  /** The chosen lock is another one. */
  | { kind: 'wrong-lock'; dev: string }
  /** The lock's challenge or result could not be read. */
  | { kind: 'garbled' }
  /** The person closed the browser's chooser. */
  | { kind: 'cancelled' }
  /** Bluetooth failed: out of range, switched off, connection dropped. */
  | { kind: 'unreachable'; detail: string };

export interface VerdictContext {
  key: Pick<OfflineKey, 'nb' | 'na' | 'act'>;
  /** The lock's IANA time zone, for "expired at 18:00". */
  timeZone: string;
  now: number;
  deviceZone?: string;
}

const NEW_KEY = 'connect to the internet to get a new one';

/** A rejection reason the lock gave, in words; an unknown one is quoted. */
export function verdictText(reason: string, { key, timeZone, now, deviceZone }: VerdictContext): string {
  const at = (unixSeconds: number) => formatLockTime(unixSeconds * 1000, timeZone, now, deviceZone);
  switch (reason) {
    case 'expired':
      return `This key expired at ${at(key.na)} — ${NEW_KEY}.`;
    case 'not_yet':
      return `This key is valid from ${at(key.nb)} (by the lock’s clock).`;
    case 'no_clock':
      return 'The lock does not know the time yet: after a power cut it must reach the server once before it accepts offline keys.';
    case 'revoked':
      return 'Your access was withdrawn.';
    case 'bad_signature':
      return `The lock does not accept this key (its secret may have changed) — ${NEW_KEY}.`;
    case 'bad_nonce':
      return 'The lock’s challenge was used or ran out (30 s). Try again.';
    case 'wrong_device':
      return 'This key is for another lock.';
    case 'not_allowed':
      return key.act === 'L' ? 'This key only locks.' : key.act === 'U' ? 'This key only unlocks.' : 'This key does not allow that.';
    case 'malformed':
      return 'The lock could not read the request. Update the app and try again.';
    case 'safe_mode':
      return 'The lock is in safe mode and does not move the bolt.';
    case 'busy':
      return 'The bolt is moving. Try again in a moment.';
    case 'door_open':
      return 'The door is open: close it before locking.';
    default:
      return `The lock refused (${reason}).`;
  }
}

function doneText(op: BleOp, status: string): string {
  if (op === 'UNLOCK' && status === 'UNLOCKED') return 'Unlocked over Bluetooth.';
  if (op === 'LOCK' && status === 'LOCKED') return 'Locked over Bluetooth.';
  if (status === 'JAMMED') return 'The lock accepted the key but the bolt is jammed.';
  return `The lock accepted the key; it reports ${status.toLowerCase()}.`;
}

/** The outcome as the status line shows it ('' when there is nothing to say). */
export function outcomeText(outcome: NearbyOutcome, context: VerdictContext & { lockName: string }): string {
  switch (outcome.kind) {
    case 'ok':
      return doneText(outcome.op, outcome.status);
    case 'rejected':
      return verdictText(outcome.reason, context);
    case 'unconfirmed':
      return 'The lock’s answer could not be verified: check the door.';
    case 'wrong-lock':
      return `That is not ${context.lockName} (it is “${outcome.dev}”). Choose ${context.lockName} in the list.`;
    case 'garbled':
      return 'The lock’s answer could not be read. Try again closer to the lock.';
    case 'cancelled':
      return '';
    case 'unreachable':
      return `Could not talk to the lock over Bluetooth (${outcome.detail}). Come closer and try again.`;
  }
}
