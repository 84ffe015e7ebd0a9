/** Options, events and counters of a SimulatedLock. */
import { type StatusMessage } from '../devices/protocol/messages.js';
import type { DoorState, StatusMessageV2 } from '../devices/protocol/messages-v2.js';
import { type Verdict } from '../devices/protocol/verify.js';
import type { ProtocolVersion } from '../devices/protocol/versions.js';
import { type AnyCommand, type RejectReason } from './command-decision.js';
import { type CounterStore } from './counter-store.js';
import type { SimulatedUpdateOptions } from './firmware-updater.js';

export type LockStatus = StatusMessage['status'];
export type PowerSource = NonNullable<StatusMessage['power']>;

export interface SimulatedLockOptions {
  /** mqtt://, or mqtts:// (see `tls`) */
  brokerUrl: string;
  /**
   * For an mqtts:// broker: `ca` replaces Node's roots with the ones the lock pins (as the firmware
   * does), `servername` is the name the broker's certificate must carry (default: the URL's host).
   */
  tls?: { ca?: string | Buffer; servername?: string };
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
  /** Charge at start, %; undefined: no battery reported. */
  battery?: number;
  /** Minutes per percent of charge lost while running (hardware-drift.ts); undefined: it stays put. */
  batteryDrainMinutes?: number;
  power?: PowerSource;
  /**
   * v3 only: the heartbeat interval announced in every status (`hb`, docs/protocol.md §13.4), in
   * seconds. The simulator does not check it against `heartbeatMs`: a test may make it lie.
   */
  announceHeartbeatS?: number;
  /** Signal at start, dBm. @default -55 */
  rssi?: number;
  /** Let the signal wander within -85…-45 dBm (hardware-drift.ts). @default false */
  rssiWalk?: boolean;
  /** For the signal's walk. @default Math.random */
  random?: () => number;
  /** @default 'sim-1.0.0' */
  firmware?: string;
  /**
   * The highest protocol version it speaks: 1 (never says hello), 2 or 3 (says hello after each
   * connect announcing "1,2" or "1,2,3", and speaks the welcome's version once welcomed:
   * docs/protocol.md §11, §13; picks its broker password by broker-login.ts).
   * @default 1
   */
  protocol?: ProtocolVersion;
  /** v2: the door as its sensor reports it. @default 'CLOSED' */
  door?: DoorState;
  /** v2: first hello repeat; it doubles up to 10 minutes until a welcome. @default 10000 */
  helloRetryMs?: number;
  /** start() rejects if not online by then. @default 30000 */
  connectTimeoutMs?: number;
  log?: (line: string) => void;
  /** Takes signed firmware updates once welcomed into v3 (protocol v3 `update`, firmware-updater.ts). */
  firmwareUpdates?: SimulatedUpdateOptions;
}

export interface CommandEvent {
  verdict: Verdict;
  outcome: 'ok' | 'failed' | 'rejected' | 'dropped';
  reason?: RejectReason | 'jammed' | 'storage' | 'door_open';
  /** The command id answered to (absent when dropped). */
  id?: string;
  /** The verified command, when the signature and fields were valid. */
  cmd?: AnyCommand;
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
  status: [status: StatusMessage | StatusMessageV2];
  /** A welcome chose this version for the connection. */
  negotiated: [version: ProtocolVersion];
  /** A cfg was applied (v2). */
  configured: [cfg: { relock: number; boot: 'STAY' | 'LOCK'; lockOpen: 'REFUSE' | 'ALLOW' }];
  command: [event: CommandEvent];
}
