import { useMemo, useRef } from 'react';
import type { LocksState } from '../lib/locks-store';

/**
 * The names of locks that stopped being shared with the viewer while the page was open
 * (`lockAccessLost` with SHARE_REVOKED): the store forgets the lock, the page remembers its name.
 */
export function useEndedShares({ locks, lost }: Pick<LocksState, 'locks' | 'lost'>): string[] {
  const names = useRef(new Map<string, string>());
  for (const lock of locks) names.current.set(lock.deviceId, lock.name);
  return useMemo(
    () =>
      Object.entries(lost)
        .filter(([, reason]) => reason === 'SHARE_REVOKED')
        .map(([deviceId]) => names.current.get(deviceId))
        .filter((name): name is string => name !== undefined),
    [lost],
  );
}
