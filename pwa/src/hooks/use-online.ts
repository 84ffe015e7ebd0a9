import { useSyncExternalStore } from 'react';
import { useServices } from './use-services';

/** False when the browser is offline or the api could not be reached. */
export function useOnline(): boolean {
  const { connectivity } = useServices();
  return useSyncExternalStore(connectivity.subscribe, connectivity.online);
}
