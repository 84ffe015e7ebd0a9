/** The store's records of push notifications: who is subscribed where, and what they chose to hear. */
/**
 * What a person can be told by push (issue 12 item 15). Lock kinds are chosen per lock;
 * NEW_SIGN_IN is about the account (stored with deviceId '').
 */
export type PushKind =
  | 'CHANGED_BY_OTHERS'
  | 'CHANGED_BY_HAND'
  | 'WENT_OFFLINE'
  | 'JAMMED'
  | 'LOW_BATTERY'
  | 'COMMAND_FAILED'
  | 'DOOR_AJAR'
  | 'LEFT_UNLOCKED'
  | 'FORGED_MESSAGES'
  | 'NEW_SIGN_IN';
export const PUSH_KINDS: readonly PushKind[] = [
  'CHANGED_BY_OTHERS',
  'CHANGED_BY_HAND',
  'WENT_OFFLINE',
  'JAMMED',
  'LOW_BATTERY',
  'COMMAND_FAILED',
  'DOOR_AJAR',
  'LEFT_UNLOCKED',
  'FORGED_MESSAGES',
  'NEW_SIGN_IN',
];
/** The deviceId of account-wide preferences. */
export const ACCOUNT_PUSH_SCOPE = '';

/** One browser's push subscription (the Push API's endpoint and keys), for one user. */
export interface PushSubscriptionRecord {
  id: string;
  userId: string;
  /** The push service's URL for this browser; unique: a browser signed in as someone else moves to them. */
  endpoint: string;
  /** The browser's ECDH P-256 public key and auth secret (RFC 8291), base64url. */
  p256dh: string;
  auth: string;
  /** Said by the person ("Alice's phone"), for the list of devices. */
  deviceLabel: string;
  /** The session line (refresh-token family) that registered it: signing that session out removes it. */
  sessionId: string | null;
  createdAt: Date;
  lastSuccessAt: Date | null;
}
export type NewPushSubscription = Pick<PushSubscriptionRecord, 'userId' | 'endpoint' | 'p256dh' | 'auth' | 'deviceLabel' | 'sessionId'>;

/** A choice that differs from the default (every kind on). `deviceId` is ACCOUNT_PUSH_SCOPE for NEW_SIGN_IN. */
export interface PushPreferenceRecord {
  userId: string;
  deviceId: string;
  kind: PushKind;
  enabled: boolean;
}
