import { useSyncExternalStore } from 'react';
import type { Session } from '../lib/session-store';
import { useServices } from './use-services';

export function useSession(): Session | null {
  const { session } = useServices();
  return useSyncExternalStore(session.subscribe, session.current);
}
