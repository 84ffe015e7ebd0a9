import { useEffect, useSyncExternalStore } from 'react';
import type { LocksState } from '../lib/locks-store';
import { useLocksStore } from './use-services';

/** The locks the user may see (an admin: every lock), live, while the calling component is mounted. */
export function useLocks(): LocksState {
  const store = useLocksStore();
  useEffect(() => store.retain(), [store]);
  return useSyncExternalStore(store.subscribe, store.getState);
}
