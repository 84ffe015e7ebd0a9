/** Bluetooth offline keys (ble/): issue, reuse, revoke once, the lock's revoked list, the sent list and its ack, uses once. */
import { describe, expect, it } from 'vitest';
import type { Store } from '../ports.js';
import type { NewOfflineKey } from '../offline-key-records.js';
import { type ContractContext, at } from './contract-context.js';

const NB = 1_795_760_000;
const HOURS8 = 8 * 3600;

function key(store: Store, kid: string, over: Partial<NewOfflineKey> = {}) {
  const nb = over.nb ?? NB;
  return store.offlineKeys.create({ kid, deviceId: 'ok-a', userId: 'u-alice', act: 'LU', nb, na: nb + HOURS8, createdAt: at(0), ...over });
}

export function describeOfflineKeysContract(ctx: ContractContext): void {
  describe('offline keys', () => {
    it('stores a key and finds the newest live one of a user on a lock', async () => {
      const first = await key(ctx.store, '0000000000000001');
      expect(first).toEqual({ kid: '0000000000000001', deviceId: 'ok-a', userId: 'u-alice', act: 'LU', nb: NB, na: NB + HOURS8, revokedAt: null, createdAt: at(0) });
      const second = await key(ctx.store, '0000000000000002', { nb: NB + 60, na: NB + 60 + HOURS8 });
      await key(ctx.store, '0000000000000003', { userId: 'u-bob', nb: NB + 120 });
      expect(await ctx.store.offlineKeys.find('0000000000000001')).toEqual(first);
      expect(await ctx.store.offlineKeys.find('00000000000000ff')).toBeNull();
      expect(await ctx.store.offlineKeys.latestLive('ok-a', 'u-alice', NB + 100)).toEqual(second);
      expect(await ctx.store.offlineKeys.latestLive('ok-a', 'u-alice', NB + 60 + HOURS8)).toBeNull();
      expect(await ctx.store.offlineKeys.latestLive('ok-b', 'u-alice', NB)).toBeNull();
    });

    it('revokes each key once, by key, by user on a lock, by lock and by user everywhere, and lists the revoked unexpired newest first', async () => {
      await key(ctx.store, '00000000000000a1');
      await key(ctx.store, '00000000000000a2', { nb: NB + 10 });
      await key(ctx.store, '00000000000000b1', { userId: 'u-bob', nb: NB + 20 });
      await key(ctx.store, '00000000000000c1', { deviceId: 'ok-c', userId: 'u-bob' });
      // Someone else's kid with a user scope revokes nothing.
      expect(await ctx.store.offlineKeys.revoke({ deviceId: 'ok-a', userId: 'u-alice', kid: '00000000000000b1' }, at(1))).toEqual([]);
      expect((await ctx.store.offlineKeys.revoke({ deviceId: 'ok-a', kid: '00000000000000a1' }, at(1))).map((k) => k.kid)).toEqual(['00000000000000a1']);
      expect(await ctx.store.offlineKeys.revoke({ deviceId: 'ok-a', kid: '00000000000000a1' }, at(2))).toEqual([]);
      expect((await ctx.store.offlineKeys.revoke({ deviceId: 'ok-a', userId: 'u-alice' }, at(3))).map((k) => k.kid)).toEqual(['00000000000000a2']);
      expect((await ctx.store.offlineKeys.revoke({ userId: 'u-bob' }, at(4))).map((k) => k.kid).sort()).toEqual(['00000000000000b1', '00000000000000c1']);
      expect(await ctx.store.offlineKeys.revoke({ deviceId: 'ok-a' }, at(5))).toEqual([]);
      const revoked = await ctx.store.offlineKeys.revokedUnexpired('ok-a', NB + 100);
      expect(revoked.map((k) => k.kid)).toEqual(['00000000000000b1', '00000000000000a2', '00000000000000a1']);
      expect(revoked[2]?.revokedAt).toEqual(at(1));
      expect(await ctx.store.offlineKeys.revokedUnexpired('ok-a', NB + 10 + HOURS8)).toHaveLength(1);
      expect(await ctx.store.offlineKeys.latestLive('ok-a', 'u-alice', NB)).toBeNull();
    });

    it("keeps a lock's last sent list until acked, acks only that list, and forgets it all with the lock", async () => {
      expect(await ctx.store.offlineKeys.findList('ok-a')).toBeNull();
      await ctx.store.offlineKeys.putList({ deviceId: 'ok-a', listId: 'blerev-1', before: 0, kids: '00000000000000a1', sentAt: at(1) });
      expect(await ctx.store.offlineKeys.ackList('ok-a', 'blerev-0', at(2))).toBe(false);
      await ctx.store.offlineKeys.putList({ deviceId: 'ok-a', listId: 'blerev-2', before: 5, kids: '', sentAt: at(3) });
      expect(await ctx.store.offlineKeys.ackList('ok-a', 'blerev-1', at(4))).toBe(false);
      expect(await ctx.store.offlineKeys.findList('ok-a')).toEqual({ deviceId: 'ok-a', listId: 'blerev-2', before: 5, kids: '', sentAt: at(3), ackedAt: null });
      expect(await ctx.store.offlineKeys.ackList('ok-a', 'blerev-2', at(5))).toBe(true);
      expect(await ctx.store.offlineKeys.ackList('ok-a', 'blerev-2', at(6))).toBe(false);
      expect((await ctx.store.offlineKeys.findList('ok-a'))?.ackedAt).toEqual(at(5));
      await key(ctx.store, '00000000000000d1');
      expect(await ctx.store.offlineKeys.recordUse('ok-a', '00000000000000d1', 'U', NB + 5)).toBe(true);
      expect(await ctx.store.offlineKeys.recordUse('ok-a', '00000000000000d1', 'U', NB + 5)).toBe(false);
      expect(await ctx.store.offlineKeys.recordUse('ok-a', '00000000000000d1', 'L', NB + 5)).toBe(true);
      await ctx.store.offlineKeys.removeByDevice('ok-a');
      expect(await ctx.store.offlineKeys.findList('ok-a')).toBeNull();
      expect(await ctx.store.offlineKeys.find('00000000000000d1')).toBeNull();
      expect(await ctx.store.offlineKeys.recordUse('ok-a', '00000000000000d1', 'U', NB + 5)).toBe(true);
    });
  });
}
