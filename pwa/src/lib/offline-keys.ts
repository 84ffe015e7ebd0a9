/**
 * The offline (Bluetooth) keys this device holds, per user, in localStorage under
 * `smartlock.offline-keys.<user id>`: so signing out forgets them with the rest of the account's
 * cached data (cached-data.ts). A key is kept until its `na`, and fetched again while online once
 * less than half of its window remains; when the api refuses one (no access, the lock cannot do
 * Bluetooth, a guest outside their hours) the key held is dropped and the feature hidden.
 */
import { IssueOfflineKeyDocument } from '../operations/offline-keys';
import type { Request } from './api-client';
import { offlineKeyFrom, type OfflineKey } from './ble-messages';
import { ApiError } from './graphql-http';

const PREFIX = 'smartlock.offline-keys.';

interface Stored {
  capability: string;
  secret: string;
}

export const offlineKeysStorageKey = (userId: string) => `${PREFIX}${userId}`;

/** True once `now` (ms) is past the middle of the key's window: time to fetch a new one. */
export function needsRefresh(key: Pick<OfflineKey, 'nb' | 'na'>, now: number): boolean {
  return now / 1000 >= key.nb + (key.na - key.nb) / 2;
}

export const isExpired = (key: Pick<OfflineKey, 'na'>, now: number) => now / 1000 >= key.na;

export class OfflineKeyStore {
  constructor(
    private readonly storage: Storage,
    private readonly userId: string,
  ) {}

  /** The key held for the lock, or null (none, unreadable, expired: an expired one is removed). */
  get(deviceId: string, now: number): OfflineKey | null {
    const all = this.read();
    const stored = all[deviceId];
    const key = stored ? offlineKeyFrom(stored.capability, stored.secret) : null;
    if (key && key.dev === deviceId && !isExpired(key, now)) return key;
    if (stored) this.forget(deviceId);
    return null;
  }

  put(key: OfflineKey): void {
    this.write({ ...this.read(), [key.dev]: { capability: key.capability, secret: key.secret } });
  }

  forget(deviceId: string): void {
    const all = this.read();
    if (!(deviceId in all)) return;
    delete all[deviceId];
    this.write(all);
  }

  private read(): Record<string, Stored> {
    try {
      const value: unknown = JSON.parse(this.storage.getItem(offlineKeysStorageKey(this.userId)) ?? '{}');
      return typeof value === 'object' && value !== null ? (value as Record<string, Stored>) : {};
    } catch {
      return {};
    }
  }

  private write(all: Record<string, Stored>): void {
    const key = offlineKeysStorageKey(this.userId);
    if (Object.keys(all).length === 0) this.storage.removeItem(key);
    else this.storage.setItem(key, JSON.stringify(all));
  }
}

/** Answers that say nothing about the user's right to a key: the one held stays. */
const PASSING = new Set(['INTERNAL_SERVER_ERROR', 'STORAGE_UNAVAILABLE', 'TOO_MANY_REQUESTS', 'UNAUTHENTICATED']);

/**
 * The key to show for the lock: the one held while more than half of its window remains, else a new
 * one from the api. A refusal drops the held key (null: hide the feature); no answer at all (offline)
 * keeps it until it expires.
 */
export async function refreshOfflineKey(store: OfflineKeyStore, request: Request, deviceId: string, now: () => number = Date.now): Promise<OfflineKey | null> {
  const held = store.get(deviceId, now());
  if (held && !needsRefresh(held, now())) return held;
  try {
    const answer = (await request(IssueOfflineKeyDocument, { lockId: deviceId })).issueOfflineKey;
    const key = offlineKeyFrom(answer.capability, answer.secret);
    if (!key || key.dev !== deviceId || isExpired(key, now())) return held;
    store.put(key);
    return key;
  } catch (error) {
    if (error instanceof ApiError && !PASSING.has(error.code)) {
      store.forget(deviceId);
      return null;
    }
    return held;
  }
}
