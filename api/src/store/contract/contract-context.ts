/** Shared pieces of the store contract: the store under test and seed helpers. */
import { randomUUID } from 'node:crypto';
import { vi } from 'vitest';
import type { Store } from '../ports.js';
import type { LockRecord, UserRecord } from '../records.js';

/** Gives each test the store opened for it (a getter, because it changes per test). */
export interface ContractContext {
  readonly store: Store;
}

export async function seedUser(store: Store, username = `user-${randomUUID().slice(0, 8)}`): Promise<UserRecord> {
  return store.users.create({ username, passwordHash: `hash-of-${username}`, role: 'USER' });
}

export async function seedLock(store: Store, deviceId: string, owner: string): Promise<LockRecord> {
  return store.locks.create({ deviceId, name: `Lock ${deviceId}`, owner, secretSealed: `sealed-${deviceId}` });
}

/**
 * Freezes `Date` at `at` (only Date: real timers keep running so a database
 * driver's own timeouts still work). Stores stamp createdAt from the clock,
 * so this is how a test controls it without sleeping.
 */
export function setClock(at: Date | number): void {
  vi.useFakeTimers({ toFake: ['Date'] });
  vi.setSystemTime(at);
}

export const T0 = Date.UTC(2025, 0, 1, 12, 0, 0);
export const at = (offsetMs: number): Date => new Date(T0 + offsetMs);
