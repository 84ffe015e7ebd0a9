/** Options, events and counters of a SimulatedLock. */
import { type StatusMessage, type CommandMessage } from '../devices/protocol/messages.js';
import { type Verdict } from '../devices/protocol/verify.js';
import { type RejectReason } from './command-decision.js';
import { type CounterStore } from './counter-store.js';

export type LockStatus = StatusMessage['status'];
export type PowerSource = NonNullable<StatusMessage['power']>;

export interface SimulatedLockOptions {
  brokerUrl: string;
  deviceId: string;
  /** 64 lowercase hex characters, as registerLock returned it. */
  deviceSecret: string;
  topicPrefix: string;
  /** @default 9000 (the protocol's heartbeat) */
  heartbeatMs?: number;
  state: CounterStore;
  /** Milliseconds since the epoch. @default Date.now */
  clock?: () => number;
  /**
   * Take the time only from the server's signed time messages, as the firmware does: statuses
   * carry `ts` 0 until one arrives. Otherwise `clock` counts as synced (and a time message
   * still corrects it). @default false
   */
  timeFromServer?: boolean;
  /** Every move fails: status JAMMED, issue `Motor jammed`, ack `failed`/`jammed`. */
  jam?: boolean;
  /** @default 'LOCKED' */
  initialStatus?: LockStatus;
  battery?: number;
  power?: PowerSource;
  /** @default -55 */
  rssi?: number;
  /** @default 'sim-1.0.0' */
  firmware?: string;
  /** start() rejects if not online by then. @default 30000 */
  connectTimeoutMs?: number;
  log?: (line: string) => void;
}

export interface CommandEvent {
  verdict: Verdict;
  outcome: 'ok' | 'failed' | 'rejected' | 'dropped';
  reason?: RejectReason | 'jammed' | 'storage';
  /** The command id answered to (absent when dropped). */
  id?: string;
  /** The verified command, when the signature and fields were valid. */
  cmd?: CommandMessage;
}

export interface LockStats {
  received: number;
  executed: number;
  rejected: number;
  failed: number;
  dropped: number;
}

export interface SimulatedLockEvents {
  online: [];
  /** A signed time message set the clock. */
  timeSynced: [];
  offline: [];
  status: [status: StatusMessage];
  command: [event: CommandEvent];
}
