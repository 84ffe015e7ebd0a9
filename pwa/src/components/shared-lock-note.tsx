import { useEffect } from 'react';
import { useNow } from '../hooks/use-now';
import { useLocksStore } from '../hooks/use-services';
import { lockTimeZone } from '../lib/lock-access';
import type { Lock } from '../lib/locks-store';
import { roleLabel, usableText } from '../lib/share-rule';

// setTimeout's longest delay; a later boundary is checked again when this one fires.
const MAX_DELAY_MS = 2_147_483_647;

/**
 * Asks the api again when a guest's access opens or closes: `allowedNow` and its instants are the
 * api's answer at the time it was asked.
 */
function useReloadAtBoundary(share: NonNullable<Lock['myShare']>): void {
  const store = useLocksStore();
  const boundary = share.allowedNow ? share.allowedUntil : share.nextAllowedAt;
  useEffect(() => {
    if (!boundary) return;
    const delay = Math.min(Math.max(Date.parse(boundary) - Date.now(), 0) + 1000, MAX_DELAY_MS);
    const timer = setTimeout(() => void store.load(), delay);
    return () => clearTimeout(timer);
  }, [boundary, store]);
}

/** "Shared by alice · Guest · Now until Fri 18:00", on a lock shared with the viewer. */
export function SharedLockNote({ lock, share }: { lock: Lock; share: NonNullable<Lock['myShare']> }) {
  const now = useNow(60_000);
  useReloadAtBoundary(share);
  return (
    <p className="shared-note">
      Shared by {lock.owner.username} · {roleLabel(share.role)} · <span className={share.allowedNow ? '' : 'shared-closed'}>{usableText(share, lockTimeZone(lock), now)}</span>
    </p>
  );
}
