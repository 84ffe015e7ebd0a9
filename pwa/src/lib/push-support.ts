/**
 * Web push in the app: whether this browser can take notifications, and the small conversions
 * between the Push API and the api. Pure, so that each state is tested without a browser.
 */
import type { PushKind } from '../gql/graphql';
import { isIosBrowserTab, type BrowserFacts } from './ios-install';

/**
 * `needs-home-screen`: iPhone/iPad in a browser tab, where web push does not exist; only the app
 * added to the Home Screen gets it. `ask`: the browser will ask the person.
 */
export type PushAvailability = 'unsupported' | 'needs-home-screen' | 'denied' | 'ask' | 'granted';

export function pushAvailability(facts: BrowserFacts, hasPushApi: boolean, permission: NotificationPermission | null): PushAvailability {
  if (isIosBrowserTab(facts)) return 'needs-home-screen';
  if (!hasPushApi || permission === null) return 'unsupported';
  if (permission === 'denied') return 'denied';
  return permission === 'granted' ? 'granted' : 'ask';
}

/** The VAPID public key as pushManager.subscribe wants it. */
export function applicationServerKey(base64url: string): Uint8Array<ArrayBuffer> {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  const binary = atob(base64);
  const bytes = new Uint8Array(new ArrayBuffer(binary.length));
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export interface PushSubscriptionFields {
  endpoint: string;
  p256dh: string;
  auth: string;
}

/** subscription.toJSON() in the api's terms; null when the browser gave no keys. */
export function subscriptionFields(json: PushSubscriptionJSON): PushSubscriptionFields | null {
  const { endpoint, keys } = json;
  if (!endpoint || !keys?.p256dh || !keys.auth) return null;
  return { endpoint, p256dh: keys.p256dh, auth: keys.auth };
}

/** A name for this browser in the list of devices ("Chrome on Android"); people may have several. */
export function deviceLabel(userAgent: string): string {
  const browser = /Edg\//.test(userAgent) ? 'Edge' : /Firefox\//.test(userAgent) ? 'Firefox' : /Chrome\//.test(userAgent) ? 'Chrome' : /Safari\//.test(userAgent) ? 'Safari' : 'Browser';
  const system = /Android/.test(userAgent) ? 'Android' : /iPhone|iPad|iPod/.test(userAgent) ? 'iOS' : /Mac OS X|Macintosh/.test(userAgent) ? 'macOS' : /Windows/.test(userAgent) ? 'Windows' : /Linux/.test(userAgent) ? 'Linux' : '';
  return system ? `${browser} on ${system}` : browser;
}

/** Per-lock kinds in the order they are offered, in words. */
export const LOCK_PUSH_KINDS: readonly { kind: PushKind; label: string }[] = [
  { kind: 'CHANGED_BY_OTHERS', label: 'Locked or unlocked by someone else' },
  { kind: 'CHANGED_BY_HAND', label: 'Locked or unlocked by hand' },
  { kind: 'DOOR_AJAR', label: 'Door left open' },
  { kind: 'LEFT_UNLOCKED', label: 'Left unlocked' },
  { kind: 'JAMMED', label: 'Jammed' },
  { kind: 'WENT_OFFLINE', label: 'Went offline' },
  { kind: 'LOW_BATTERY', label: 'Battery low' },
  { kind: 'COMMAND_FAILED', label: 'A lock or unlock failed' },
  { kind: 'FORGED_MESSAGES', label: 'Forged messages (a burst of bad signatures)' },
];
