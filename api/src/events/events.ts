import type { ShareRole } from '../store/lock-share-records.js';
import type { LockTransferRecord } from '../store/lock-transfer-records.js';
import type { AuditRecord, CommandRecord, LockRecord } from '../store/records.js';

/** What the api broadcasts to live subscriptions (and, with Redis, to other replicas). */
export interface AppEvents {
  'lock.changed': LockRecord;
  'lock.removed': { deviceId: string; owner: string };
  /**
   * People who could see the lock no longer can: `formerOwner`'s sessions (and, for a removal, the
   * admins') drop it from what they show. `newOwner` is null when the lock is gone.
   */
  'lock.accessLost': {
    deviceId: string;
    formerOwner: string;
    newOwner: string | null;
    reason: AccessLostReason;
    at: Date;
    /** Guests (and co-owners) whose share of the lock ended with this change: their sessions drop it too. */
    guests?: string[];
  };
  /**
   * A share was made, changed or ended (`role` null). Caches of who holds which share
   * (sharing/share-directory.ts) forget `guest`'s entries on every replica.
   */
  'lock.shareChanged': { deviceId: string; guest: string; role: ShareRole | null };
  /** An offer of a lock was made, cancelled, declined or accepted: both people's lists follow it. */
  'lock.transferChanged': { offer: LockTransferRecord; lockName: string };
  /** The device secret changed: sessions opened with the old credentials must end. */
  'lock.secretRotated': { deviceId: string };
  'command.updated': CommandRecord;
  /**
   * What a user may see changed (role, or every token revoked): their open sockets, on every
   * replica, are closed so that they reconnect with their current rights.
   */
  'user.rightsChanged': { userId: string; reason: RightsChange; sessions?: SessionScope };
  /** `owner` is the owner of the entry's lock at the time, so feeds can be filtered without a lookup. */
  'audit.appended': { entry: AuditRecord; owner: string | null };
  /**
   * Subscribers may have missed events (see redis-event-bus.ts): reload state rather than trust
   * the stream. Emitted by the bus itself, never by app code.
   */
  'bus.resync': { reason: ResyncReason; at: Date };
}
/** Why a lock left someone's list. */
export type AccessLostReason = 'removed' | 'reassigned' | 'transferred' | 'shareRevoked';
export type RightsChange = 'signedOutEverywhere' | 'roleChanged' | 'sessionEnded' | 'passwordChanged' | 'accountDeleted' | 'recovered';
/**
 * Which of the user's sockets close, by the session line they were opened with: only one (that
 * session was ended) or all but one (a password change keeps the session that made it). Absent: all.
 */
export type SessionScope = { only: string } | { except: string };
/** `reconnected`: this replica's pub/sub connection came back; `publish_failed`: another replica could not send events. */
export type ResyncReason = 'reconnected' | 'publish_failed';
export type AppEventName = keyof AppEvents;

/**
 * The events a subscriber may follow for one key only, and each one's key: a dashboard of one lock
 * is then woken by that lock's changes alone, not by every change of the fleet (10,000 per-lock
 * feeds × 1,000 changes/s would be 10 million wake-ups a second, nearly all filtered out).
 */
export const EVENT_KEYS: { readonly [K in AppEventName]?: (payload: AppEvents[K]) => string } = {
  'lock.changed': (lock) => lock.deviceId,
  'command.updated': (command) => command.id,
};

export interface EventBus {
  publish<K extends AppEventName>(name: K, payload: AppEvents[K]): void;
  /**
   * Every `name` event, or with `key` only those whose key (EVENT_KEYS) is `key`. A key for an
   * event that has none is a programming error and throws (it would silently get nothing).
   */
  subscribe<K extends AppEventName>(name: K, key?: string): AsyncIterableIterator<AppEvents[K]>;
  close(): Promise<void>;
}

/**
 * The text of an event for the other replicas. Every Date, wherever it sits (a lock row has seven,
 * an alert one), goes as `{"$date": ms}`: JSON alone turns them into strings, and a list of the
 * keys to turn back went stale as records grew (a row cached with a string for `lastChangedAt`
 * broke another replica's ingest: each change was then announced and audited twice).
 */
export function encodeEvent(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key: string, encoded: unknown) {
    const raw = this[key]; // before Date#toJSON made it a string
    return raw instanceof Date ? { [DATE_TAG]: raw.getTime() } : encoded;
  });
}

/** Reads `encodeEvent`'s text, Dates included. */
export function reviveEvent(text: string): unknown {
  return JSON.parse(text, (key, value: unknown) => {
    if (isTaggedDate(value)) return new Date(value[DATE_TAG] ?? Number.NaN);
    // A replica of the previous version sends ISO strings, under these keys only.
    return PREVIOUS_DATE_KEYS.has(key) && typeof value === 'string' ? new Date(value) : value;
  });
}

const DATE_TAG = '$date';
const PREVIOUS_DATE_KEYS = new Set(['at', 'createdAt', 'updatedAt', 'lastSeen', 'completedAt', 'expiresAt', 'endedAt']);

/** `{"$date": ms}` and nothing else (an invalid Date's ms is null in JSON). */
function isTaggedDate(value: unknown): value is { [DATE_TAG]: number | null } {
  if (typeof value !== 'object' || value === null || !(DATE_TAG in value)) return false;
  const ms = (value as Record<string, unknown>)[DATE_TAG];
  return (typeof ms === 'number' || ms === null) && Object.keys(value).length === 1;
}
