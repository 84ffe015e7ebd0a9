/**
 * Load shedding in front of the status ingest. While the process is
 * overloaded, a status that *looks* like a heartbeat changing nothing (same
 * status, issue, battery band, power and firmware as the lock's last accepted
 * state; no ack; no new counter; same boot) is dropped before its signature is
 * checked, and counted. Everything else — status changes, acks, availability
 * (wills), and every message of a lock the ingest does not know yet — is
 * passed on untouched, so what a person sees and what a command waits for
 * keeps flowing. MQTT keepalives never reach this code (the broker answers
 * them), and they get the CPU that verifying the shed heartbeats would take.
 *
 * A shed heartbeat is NOT trusted: it does not move `lastSeen`, the replay
 * mark or anything a viewer sees. It is only remembered as "seen on the
 * device's authenticated connection", which the offline sweep may use for one
 * thing: not declaring the lock offline. The broker lets only the lock's own
 * account publish on its status topic, so a forgery would need the lock's
 * broker password; the worst it can do is delay an "offline" while the api is
 * overloaded, never make a lock look Available or change its status.
 */
import type { LockRecord } from '../store/records.js';
import type { Topics } from '../devices/protocol/topics.js';
import { batteryBand } from '../devices/status-changes.js';

export interface HeartbeatShedderDeps {
  topics: Topics;
  /** The ingest's last accepted row for a lock, if it has one in memory. */
  known: (deviceId: string) => LockRecord | undefined;
  /** Whether to shed now (the process is overloaded). */
  overloaded: () => boolean;
  /** Called once per shed message, e.g. for a metric. */
  onShed?: () => void;
  now?: () => number;
}

/** Payloads above this are never parsed here (the ingest rejects them). */
const MAX_PEEK_BYTES = 1024;

export class HeartbeatShedder {
  /** deviceId → when a heartbeat of it was last shed (one entry per lock at most: bounded by the fleet). */
  private readonly seen = new Map<string, number>();
  /** deviceId → fingerprint of the last status seen while overloaded (null: not sheddable). */
  private readonly previous = new Map<string, string | null>();
  private readonly now: () => number;
  private shedCount = 0;

  constructor(private readonly deps: HeartbeatShedderDeps) {
    this.now = deps.now ?? Date.now;
  }

  /**
   * True when the message may be dropped: the process is overloaded, it repeats
   * the lock's last accepted state, AND it says the same as the previous status
   * of that lock this shedder saw. The second rule matters because the accepted
   * state lags behind messages still in flight: after UNLOCKED (in flight) a
   * LOCKED would look like "nothing new" against the accepted LOCKED and be lost.
   * By induction, a message is shed only if the last one forwarded said the same.
   */
  shed(topic: string, payload: Buffer): boolean {
    if (!this.deps.overloaded()) {
      // Messages are not read while calm, so what we saw before is stale once calm returns.
      if (this.previous.size > 0) this.previous.clear();
      return false;
    }
    const parsed = this.deps.topics.parse(topic);
    if (parsed?.kind !== 'status') return false;
    const message = peek(payload);
    const fingerprint = message ? visibleFingerprint(message) : null;
    const previous = this.previous.get(parsed.deviceId);
    this.previous.set(parsed.deviceId, fingerprint);
    if (!message || fingerprint === null || previous !== fingerprint) return false;
    const lock = this.deps.known(parsed.deviceId);
    if (!lock || !repeatsKnownState(lock, message)) return false;
    this.seen.set(parsed.deviceId, this.now());
    this.shedCount += 1;
    this.deps.onShed?.();
    return true;
  }

  /** Whether a heartbeat of this lock was shed at or after `since` (liveness evidence, never trust). */
  seenSince(deviceId: string, since: Date): boolean {
    const at = this.seen.get(deviceId);
    return at !== undefined && at >= since.getTime();
  }

  get total(): number {
    return this.shedCount;
  }
}

type Peeked = Record<string, unknown>;

/** The unverified JSON members of a small payload, or null. */
export function peek(payload: Buffer): Peeked | null {
  if (payload.byteLength > MAX_PEEK_BYTES) return null;
  try {
    const body: unknown = JSON.parse(payload.toString('utf8'));
    return typeof body === 'object' && body !== null ? (body as Peeked) : null;
  } catch {
    return null;
  }
}

/**
 * What a viewer would see in an unverified status (status, issue, battery band,
 * power, firmware, boot), or null when it may not be shed at all (an ack).
 * The counter is left out: a raised one is caught against the accepted state.
 */
export function visibleFingerprint(m: Peeked): string | null {
  if (m.ack !== undefined) return null;
  const battery = typeof m.battery === 'number' ? batteryBand(m.battery) : String(m.battery);
  // v2 (docs/protocol.md §11.6): the version, the door and what moved the bolt are seen too.
  return JSON.stringify([m.status, m.issue || null, battery, m.power ?? null, m.fw ?? null, m.boot, m.v, m.door ?? null, m.src ?? null, m.cid ?? null]);
}

/**
 * Whether an unverified status claims nothing new for this lock. Any doubt
 * (unexpected types, an ack, a higher counter, a reboot, a lock not
 * Available) answers false, which hands the message to the full checks.
 */
export function repeatsKnownState(lock: LockRecord, m: Peeked): boolean {
  if (lock.state !== 'AVAILABLE') return false;
  if (m.type !== 'status' || m.dev !== lock.deviceId || m.ack !== undefined) return false;
  if (m.boot !== lock.lastBoot || typeof m.ctr !== 'number' || m.ctr > lock.commandCounter) return false;
  if (m.status !== lock.status || (m.issue ? m.issue : null) !== (lock.issue ?? null)) return false;
  if ((m.power ?? null) !== lock.power || (m.fw ?? null) !== lock.firmware) return false;
  if (!repeatsKnownV2State(lock, m)) return false;
  const battery = m.battery ?? null;
  if (battery !== null && typeof battery !== 'number') return false;
  return batteryBand(battery) === batteryBand(lock.battery);
}

/**
 * v1 says nothing of the door: only a v1 status from a lock spoken to in v1 repeats it. A v2
 * status repeats it only from a lock stored as v2, with the same door, source and command id,
 * and no bolt in motion (LOCKING/UNLOCKING is never the settled `status`).
 */
function repeatsKnownV2State(lock: LockRecord, m: Peeked): boolean {
  if (m.v === 1) return lock.protocolVersion === 1;
  // v2 and v3 statuses have the same members; only one of the lock's stored version repeats it.
  if (m.v !== lock.protocolVersion || lock.protocolVersion === 1 || lock.boltMotion !== null) return false;
  return m.door === lock.door && m.src === lock.lastChangeSource && (m.cid ?? null) === lock.lastChangedBy;
}
