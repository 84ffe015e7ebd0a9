/** The browser's side of push: permission and the service worker's PushManager. */
import { applicationServerKey, subscriptionFields, type PushSubscriptionFields } from './push-support';

async function registration(): Promise<ServiceWorkerRegistration | undefined> {
  return 'serviceWorker' in navigator ? navigator.serviceWorker.getRegistration() : undefined;
}

export async function currentSubscription(): Promise<PushSubscription | null> {
  return (await (await registration())?.pushManager.getSubscription()) ?? null;
}

/** Asks for permission (only from a tap: browsers refuse otherwise), then subscribes with the api's key. */
export async function subscribeBrowser(vapidPublicKey: string): Promise<PushSubscriptionFields> {
  if ((await Notification.requestPermission()) !== 'granted') throw new Error('Notifications were not allowed.');
  const ready = await navigator.serviceWorker.ready;
  const subscription = await ready.pushManager
    .subscribe({ userVisibleOnly: true, applicationServerKey: applicationServerKey(vapidPublicKey) })
    .catch((error: unknown) => {
      // e.g. a browser without a push service it can reach: say so rather than a bare DOMException.
      throw new Error(`This browser could not sign up with its push service (${error instanceof Error ? error.message : String(error)}).`);
    });
  const fields = subscriptionFields(subscription.toJSON());
  if (!fields) throw new Error('The browser gave a push subscription without keys.');
  return fields;
}

/** Ends this browser's subscription; its endpoint, so that the api can forget it too. */
export async function unsubscribeBrowser(): Promise<string | null> {
  const subscription = await currentSubscription().catch(() => null);
  if (!subscription) return null;
  await subscription.unsubscribe().catch(() => false);
  return subscription.endpoint;
}
