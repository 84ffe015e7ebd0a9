/** The small labels on a lock card: what they say and how loudly. */
import type { LockState, LockStatus, PowerSource } from '../gql/graphql';

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

export function availabilityBadge(state: LockState): Badge {
  return state === 'AVAILABLE' ? { text: 'Online', tone: 'ok' } : { text: 'Offline', tone: 'bad' };
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
