import { useSyncExternalStore } from 'react';
import type { Situation } from '../lib/connectivity';
import { useServices } from './use-services';

/** Live, this phone offline, or the server unreachable (connectivity.ts). */
export function useSituation(): Situation {
  const { connectivity } = useServices();
  return useSyncExternalStore(connectivity.subscribe, connectivity.situation);
}
