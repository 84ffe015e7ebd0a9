/** The small labels on a lock card: what they say and how loudly. */
import type { LockState, LockStatus, PowerSource } from '../gql/graphql';
import type { Situation } from './connectivity';

export type Tone = 'ok' | 'info' | 'warn' | 'bad';

export interface Badge {
  text: string;
  tone: Tone;
}

export function statusBadge(status: LockStatus): Badge {
  switch (status) {
    case 'LOCKED':
      return { text: 'LOCKED', tone: 'ok' };
    case 'UNLOCKED':
      return { text: 'UNLOCKED', tone: 'warn' };
    case 'JAMMED':
      return { text: 'JAMMED', tone: 'bad' };
    case 'UNKNOWN':
      return { text: 'UNKNOWN', tone: 'info' };
  }
}

/**
 * The lock's reachability as the server last told it; while the app itself is cut off from the
 * server nobody knows it, and the badge says so rather than a green "Online" from before.
 */
export function availabilityBadge(state: LockState, situation: Situation = 'live'): Badge {
  if (situation !== 'live') return { text: 'Unknown now', tone: 'info' };
  return state === 'AVAILABLE' ? { text: 'Online', tone: 'ok' } : { text: 'Offline', tone: 'bad' };
}

/** A state nobody can vouch for now: greyed, and worded as the last known one. */
export function lastKnown(badge: Badge): Badge {
  return { text: `Last known: ${badge.text}`, tone: 'info' };
}

/** "Battery 80%", louder when low; null when the lock reports no battery. */
export function batteryBadge(battery: number | null | undefined, power?: PowerSource | null): Badge | null {
  if (battery === null || battery === undefined) return power === 'LOW' ? { text: 'Battery low', tone: 'bad' } : null;
  const percent = Math.min(100, Math.max(0, Math.round(battery)));
  const tone: Tone = percent <= 10 || power === 'LOW' ? 'bad' : percent <= 25 ? 'warn' : 'ok';
  return { text: `Battery ${percent}%`, tone };
}

/** The lock's own words for what is wrong ("No heartbeat", "Motor jammed"), or null. */
export function issueBadge(issue: string | null | undefined): Badge | null {
  const text = issue?.trim();
  return text ? { text, tone: 'bad' } : null;
}
