/**
 * The status a simulated lock publishes (docs/protocol.md §5, v2 §11.4): the v1 members, in v2
 * also the door and what last moved the bolt; signed with K in v1, with the status key in v2.
 */
import { type AckMessage, type StatusMessage, statusJson } from '../devices/protocol/messages.js';
import { statusV2Json, type ChangeSource, type DoorState, type StatusMessageV2 } from '../devices/protocol/messages-v2.js';
import { signPayload } from '../devices/protocol/signature.js';
import type { ProtocolVersion } from '../devices/protocol/versions.js';
import { type LockStatus, type SimulatedLockOptions } from './lock-types.js';

/** What the lock knows when it reports. */
export interface StatusFacts {
  dev: string;
  boot: number;
  seq: number;
  status: LockStatus;
  ctr: number;
  ts: number;
  uptime: number;
  issue: string;
  ack?: AckMessage;
  door: DoorState;
  src: ChangeSource;
  /** The command that last moved the bolt: reported (as cid) only while src is REMOTE. */
  lastCommandId: string | undefined;
}

/** The simulated hardware's readings at the time of the status. */
export type Hardware = Pick<SimulatedLockOptions, 'rssi' | 'battery' | 'power' | 'firmware' | 'announceHeartbeatS'>;

export function statusMessage(facts: StatusFacts, hardware: Hardware, version: ProtocolVersion): StatusMessage | StatusMessageV2 {
  const { dev, boot, seq, status, ctr, ts, uptime, issue, ack } = facts;
  const v1: StatusMessage = {
    v: 1,
    type: 'status',
    dev,
    boot,
    seq,
    status,
    ctr,
    ts,
    uptime,
    rssi: hardware.rssi ?? -55,
    battery: hardware.battery,
    power: hardware.power,
    issue,
    fw: hardware.firmware ?? 'sim-1.0.0',
    ack,
  };
  if (version === 1) return v1;
  const cid = facts.src === 'REMOTE' ? facts.lastCommandId : undefined;
  // `hb` is a v3 member (docs/protocol.md §13.4): a lock speaking v2 has none to send.
  const hb = version === 3 ? hardware.announceHeartbeatS : undefined;
  return { ...v1, v: version, door: facts.door, src: facts.src, cid, ...(hb === undefined ? {} : { hb }) };
}

/** `key` is K (v1), `statusKey` the v2 status key (docs/protocol.md §11.1). */
export function signStatus(message: StatusMessage | StatusMessageV2, keys: { key: Buffer; statusKey: Buffer }): string {
  return message.v === 1 ? signPayload(keys.key, statusJson(message)) : signPayload(keys.statusKey, statusV2Json(message));
}
