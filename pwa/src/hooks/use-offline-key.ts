import { useEffect, useMemo, useState } from 'react';
import type { OfflineKey } from '../lib/ble-messages';
import { isExpired, needsRefresh, OfflineKeyStore, refreshOfflineKey } from '../lib/offline-keys';
import { useOnline } from './use-online';
import { useServices } from './use-services';

// setTimeout takes at most 2^31 - 1 ms.
const MAX_DELAY = 2_147_483_647;

/**
 * The offline key for a lock while its page is shown: the one held on this device (so it works with
 * no network), fetched or refreshed whenever the app is online and less than half of it remains,
 * dropped when it expires or the api refuses one.
 */
export function useOfflineKey(deviceId: string): OfflineKey | null {
  const { request, session, storage } = useServices();
  const online = useOnline();
  const userId = session.current()?.user.id ?? null;
  const store = useMemo(() => (userId ? new OfflineKeyStore(storage, userId) : null), [storage, userId]);
  const [key, setKey] = useState<OfflineKey | null>(() => store?.get(deviceId, Date.now()) ?? null);
  // Bumped when the held key reaches the middle or the end of its window while the page stays open.
  const [tick, setTick] = useState(0);

  useEffect(() => {
    if (!store) return setKey(null);
    setKey(store.get(deviceId, Date.now()));
    if (!online) return;
    let current = true;
    void refreshOfflineKey(store, request, deviceId).then((fresh) => {
      if (current) setKey(fresh);
    });
    return () => {
      current = false;
    };
  }, [store, request, deviceId, online, tick]);

  useEffect(() => {
    if (!key) return;
    const now = Date.now();
    const due = isExpired(key, now) ? null : needsRefresh(key, now) ? key.na * 1000 : (key.nb + (key.na - key.nb) / 2) * 1000;
    if (due === null) return setKey(null);
    const timer = setTimeout(() => setTick((n) => n + 1), Math.min(MAX_DELAY, Math.max(0, due - now)));
    return () => clearTimeout(timer);
  }, [key]);

  return key;
}
