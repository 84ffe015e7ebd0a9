import { createContext, useContext } from 'react';
import type { LocksStore } from '../lib/locks-store';
import type { AppServices } from '../lib/services';

export const ServicesContext = createContext<AppServices | null>(null);
export const LocksStoreContext = createContext<LocksStore | null>(null);

export function useServices(): AppServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices needs a <ServicesContext.Provider>');
  return services;
}

export function useLocksStore(): LocksStore {
  const store = useContext(LocksStoreContext);
  if (!store) throw new Error('useLocksStore needs a signed-in <LocksStoreContext.Provider>');
  return store;
}
