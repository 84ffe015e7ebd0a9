import type { PowerSource } from '../gql/graphql';

/** What the lock page says about a lock's power (docs/protocol.md §13.4). */
export interface PowerFacts {
  power?: PowerSource | null;
  heartbeatSeconds: number;
  lowBattery: boolean;
}

/** "On battery · checks in every 60 s": how the lock is powered and how often it reports. */
export function powerLineText({ power, heartbeatSeconds }: PowerFacts): string {
  const source = power === 'MAINS' ? 'On mains power' : power === 'BATTERY' || power === 'LOW' ? 'On battery' : null;
  const checks = `checks in every ${heartbeatSeconds} s`;
  return source ? `${source} · ${checks}` : `Checks in every ${heartbeatSeconds} s`;
}

/**
 * The warning for a low battery, or null. A lock that reports power LOW has a nearly flat battery
 * and (the reference lock) has turned auto-relock off to keep its charge for unlocks.
 */
export function lowBatteryWarning({ power, lowBattery }: PowerFacts): string | null {
  if (power === 'LOW') return 'Battery nearly flat: auto-relock is off until the batteries are changed. Change them soon.';
  return lowBattery ? 'Battery low: change the batteries soon.' : null;
}
