import { useSyncExternalStore } from 'react';
import { currentPlace, subscribePlace, type Place } from '../lib/navigation';

export function usePlace(): Place {
  return useSyncExternalStore(subscribePlace, currentPlace);
}
