import type { BleRevocationListRecord, NewOfflineKey, OfflineKeyRecord, OfflineKeyScope } from './offline-key-records.js';

/** Issued Bluetooth offline keys, the revocation list last sent to each lock, and reported uses. */
export interface OfflineKeyRepository {
  create(key: NewOfflineKey): Promise<OfflineKeyRecord>;
  find(kid: string): Promise<OfflineKeyRecord | null>;
  /** The user's newest unrevoked key of the lock still valid at `nowS` (unix s), if any. */
  latestLive(deviceId: string, userId: string, nowS: number): Promise<OfflineKeyRecord | null>;
  /** Marks the scope's unrevoked keys revoked at `at`; returns those it revoked (each once, across replicas). */
  revoke(scope: OfflineKeyScope, at: Date): Promise<OfflineKeyRecord[]>;
  /** The lock's revoked keys with `na` > `nowS`, newest `nb` first (then kid, descending). */
  revokedUnexpired(deviceId: string, nowS: number): Promise<OfflineKeyRecord[]>;
  /** Forgets the lock's keys, its list and its reported uses (the lock was removed). */
  removeByDevice(deviceId: string): Promise<void>;
  /** Records one reported use; false when the same (lock, kid, op, at) was recorded before. */
  recordUse(deviceId: string, kid: string, op: 'L' | 'U', at: number): Promise<boolean>;
  findList(deviceId: string): Promise<BleRevocationListRecord | null>;
  /** Replaces the lock's last sent list (not acked). */
  putList(list: Omit<BleRevocationListRecord, 'ackedAt'>): Promise<void>;
  /** Marks the list acked if it is still the lock's last one; false otherwise. */
  ackList(deviceId: string, listId: string, at: Date): Promise<boolean>;
}
