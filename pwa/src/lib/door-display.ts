/**
 * What a protocol v2 lock adds to its card: the door, the bolt on its way, and what moved it last.
 * v1 locks report none of it (the fields are null), so for them every function here says nothing new.
 */
import type { BoltMotion, ChangeSource, DoorState, LockStatus } from '../gql/graphql';
import { statusBadge, type Badge } from './lock-badges';
import { relativeTime } from './relative-time';

export interface DoorFacts {
  status: LockStatus;
  door?: DoorState | null;
  boltMotion?: BoltMotion | null;
  lastChangeSource?: ChangeSource | null;
  lastChangedBy?: string | null;
}

/**
 * The bolt badge: "Locking…"/"Unlocking…" while the motor runs, and a locked bolt in an open door
 * is loud, not the calm "LOCKED" of a safe door (the bolt sticks out, the door is not secured).
 */
export function boltBadge(lock: DoorFacts): Badge {
  if (lock.boltMotion === 'LOCKING') return { text: 'Locking…', tone: 'info' };
  if (lock.boltMotion === 'UNLOCKING') return { text: 'Unlocking…', tone: 'info' };
  if (lock.status === 'LOCKED' && lock.door === 'OPEN') return { text: 'LOCKED · door open', tone: 'bad' };
  return statusBadge(lock.status);
}

/** "Door open" (alarming), "Door closed", "No door sensor"; null for a v1 lock. */
export function doorBadge(door: DoorState | null | undefined): Badge | null {
  switch (door) {
    case 'OPEN':
      return { text: 'Door open', tone: 'bad' };
    case 'CLOSED':
      return { text: 'Door closed', tone: 'ok' };
    case 'UNKNOWN':
      return { text: 'No door sensor', tone: 'info' };
    case null:
    case undefined:
      return null;
  }
}

function byWhom(source: ChangeSource, user: string | null | undefined): string {
  switch (source) {
    case 'MANUAL':
      return 'by hand';
    case 'REMOTE':
      return user ? `by ${user}` : 'remotely';
    case 'AUTO':
      return 'automatically';
    case 'BLE':
      return 'by Bluetooth';
    case 'BOOT':
      return 'at start-up';
  }
}

/**
 * "Locked by hand", "Unlocked by alice", "Locked automatically", with " · 2 min ago" when the time
 * of the change is known. Null for a v1 lock, a bolt in motion or one neither locked nor unlocked.
 */
export function lastChangeText(lock: DoorFacts, changedAt?: string | null, now = Date.now()): string | null {
  if (!lock.lastChangeSource || lock.boltMotion) return null;
  if (lock.status !== 'LOCKED' && lock.status !== 'UNLOCKED') return null;
  const verb = lock.status === 'LOCKED' ? 'Locked' : 'Unlocked';
  const text = `${verb} ${byWhom(lock.lastChangeSource, lock.lastChangedBy)}`;
  return changedAt ? `${text} · ${relativeTime(changedAt, now)}` : text;
}
