import { useCallback, useEffect, useState } from 'react';
import { currentSubscription, subscribeBrowser, unsubscribeBrowser } from '../lib/browser-push';
import { errorMessage } from '../lib/graphql-http';
import { currentBrowser } from '../lib/ios-install';
import { deviceLabel, pushAvailability, type PushAvailability } from '../lib/push-support';
import { SubscribePushDocument, UnsubscribePushDocument, VapidPublicKeyDocument } from '../operations/push';
import { useServices } from './use-services';

function availabilityNow(): PushAvailability {
  const hasPushApi = 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
  return pushAvailability(currentBrowser(), hasPushApi, 'Notification' in window ? Notification.permission : null);
}

/** This browser's notifications: whether it can have them, whether it has them, and turning them on or off. */
export function usePush() {
  const { request } = useServices();
  const [availability, setAvailability] = useState<PushAvailability>(availabilityNow);
  const [subscribed, setSubscribed] = useState(false);
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    void currentSubscription()
      .then((subscription) => live && setSubscribed(subscription !== null))
      .catch(() => undefined);
    return () => {
      live = false;
    };
  }, []);

  const run = useCallback(async (work: () => Promise<void>) => {
    setPending(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(errorMessage(e));
    } finally {
      setAvailability(availabilityNow());
      setPending(false);
    }
  }, []);

  const enable = () =>
    run(async () => {
      const { vapidPublicKey } = await request(VapidPublicKeyDocument, {});
      const subscription = await subscribeBrowser(vapidPublicKey);
      await request(SubscribePushDocument, { subscription, deviceLabel: deviceLabel(navigator.userAgent) });
      setSubscribed(true);
    });

  const disable = () =>
    run(async () => {
      const endpoint = await unsubscribeBrowser();
      if (endpoint) await request(UnsubscribePushDocument, { endpoint });
      setSubscribed(false);
    });

  return { availability, subscribed, pending, error, enable, disable };
}
