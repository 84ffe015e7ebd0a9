/**
 * What a push says. Small on purpose (push services cap payloads near 4 KB) and never a secret:
 * names, states and a link into the app, nothing a lock or session could be opened with.
 */
import type { PushKind } from '../store/push-records.js';

export interface PushPayload {
  title: string;
  body: string;
  /** A path in the app the notification opens. */
  url: string;
  /** Replaces an older notification with the same tag (one per lock and kind). */
  tag: string;
}

/** Who should hear of what: one lock's owner (deviceId) or one account (deviceId null). */
export interface PushIntent {
  kind: PushKind;
  /** Username of the person told. */
  recipient: string;
  /** The lock it is about; null for account kinds (a new sign-in). */
  deviceId: string | null;
  /** Username of whoever caused it, who is not told about their own doing. */
  causedBy: string | null;
  payload: PushPayload;
  /** Push services keep an undelivered message this long (seconds), then drop it. */
  ttlSeconds: number;
  urgency: 'very-low' | 'low' | 'normal' | 'high';
}

export function lockUrl(deviceId: string): string {
  return `/locks/${encodeURIComponent(deviceId)}`;
}
