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
  private readonly now: () => number;
  private shedCount = 0;

  constructor(private readonly deps: HeartbeatShedderDeps) {
    this.now = deps.now ?? Date.now;
  }

  /** True when the message may be dropped: the process is overloaded and it repeats the known state. */
  shed(topic: string, payload: Buffer): boolean {
    if (!this.deps.overloaded()) return false;
    const parsed = this.deps.topics.parse(topic);
    if (parsed?.kind !== 'status') return false;
    const lock = this.deps.known(parsed.deviceId);
    if (!lock || !repeatsKnownState(lock, payload)) return false;
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

/**
 * Whether an unverified payload claims nothing new for this lock. Any doubt
 * (unparsable, unexpected types, an ack, a higher counter, a reboot, a lock not
 * Available) answers false, which hands the message to the full checks.
 */
export function repeatsKnownState(lock: LockRecord, payload: Buffer): boolean {
  if (lock.state !== 'AVAILABLE' || payload.byteLength > MAX_PEEK_BYTES) return false;
  let body: unknown;
  try {
    body = JSON.parse(payload.toString('utf8'));
  } catch {
    return false;
  }
  if (typeof body !== 'object' || body === null) return false;
  const m = body as Record<string, unknown>;
  if (m.type !== 'status' || m.dev !== lock.deviceId || m.ack !== undefined) return false;
  if (m.boot !== lock.lastBoot || typeof m.ctr !== 'number' || m.ctr > lock.commandCounter) return false;
  if (m.status !== lock.status || (m.issue ? m.issue : null) !== (lock.issue ?? null)) return false;
  if ((m.power ?? null) !== lock.power || (m.fw ?? null) !== lock.firmware) return false;
  const battery = m.battery ?? null;
  if (battery !== null && typeof battery !== 'number') return false;
  return batteryBand(battery) === batteryBand(lock.battery);
}
