/** Lock transfer offers (locks/lock-transfers.service.ts): one open offer per lock, acceptance moves the lock once. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '../errors.js';
import type { Store } from '../ports.js';
import { type ContractContext, at, seedLock, seedUser } from './contract-context.js';

const DAY = 86_400_000;

function offer(store: Store, deviceId: string, fromUser: string, toUser: string, createdAt = at(0)) {
  return store.lockTransfers.create({ id: randomUUID(), deviceId, fromUser, toUser, createdAt, expiresAt: new Date(createdAt.getTime() + 7 * DAY) });
}

export function describeLockTransfersContract(ctx: ContractContext): void {
  describe('lock transfers', () => {
    it('stores an open offer, lists it for both people, and refuses a second open offer of the lock', async () => {
      const [alice, bob, carol] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'tr-a', alice.username);
      const made = await offer(ctx.store, 'tr-a', alice.username, bob.username);
      expect(made).toMatchObject({ deviceId: 'tr-a', fromUser: alice.username, toUser: bob.username, state: 'OPEN', endedAt: null, createdAt: at(0), expiresAt: at(7 * DAY) });
      expect(await ctx.store.lockTransfers.findById(made.id)).toEqual(made);
      expect(await ctx.store.lockTransfers.listOpen(alice.username, at(1))).toEqual([made]);
      expect(await ctx.store.lockTransfers.listOpen(bob.username, at(1))).toEqual([made]);
      expect(await ctx.store.lockTransfers.listOpen(carol.username, at(1))).toEqual([]);
      await expect(offer(ctx.store, 'tr-a', alice.username, carol.username, at(5))).rejects.toBeInstanceOf(DuplicateKeyError);
    });

    it('of two concurrent offers of one lock, exactly one is stored', async () => {
      const [alice, bob, carol] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'tr-race', alice.username);
      const results = await Promise.allSettled([offer(ctx.store, 'tr-race', alice.username, bob.username), offer(ctx.store, 'tr-race', alice.username, carol.username)]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
    });

    it('an expired offer is not listed, cannot be accepted or declined, and makes way for a new one', async () => {
      const [alice, bob] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'tr-exp', alice.username);
      const old = await offer(ctx.store, 'tr-exp', alice.username, bob.username);
      const later = at(7 * DAY);
      expect(await ctx.store.lockTransfers.listOpen(bob.username, later)).toEqual([]);
      expect(await ctx.store.lockTransfers.accept(old.id, later)).toBeNull();
      expect(await ctx.store.lockTransfers.end(old.id, 'DECLINED', later)).toBeNull();
      expect((await ctx.store.locks.findByDeviceId('tr-exp'))?.owner).toBe(alice.username);
      const again = await offer(ctx.store, 'tr-exp', alice.username, bob.username, later);
      expect(again.state).toBe('OPEN');
      expect((await ctx.store.lockTransfers.findById(old.id))?.state).toBe('EXPIRED');
    });

    it('accepts once: the offer ACCEPTED and the lock moved together; a second accept or a decline changes nothing', async () => {
      const [alice, bob] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'tr-acc', alice.username);
      const made = await offer(ctx.store, 'tr-acc', alice.username, bob.username);
      const results = await Promise.all([ctx.store.lockTransfers.accept(made.id, at(10)), ctx.store.lockTransfers.accept(made.id, at(10))]);
      const won = results.filter((r) => r !== null);
      expect(won).toHaveLength(1);
      expect(won[0]?.offer).toMatchObject({ state: 'ACCEPTED', endedAt: at(10) });
      expect(won[0]?.lock.owner).toBe(bob.username);
      expect((await ctx.store.locks.findByDeviceId('tr-acc'))?.owner).toBe(bob.username);
      expect(await ctx.store.lockTransfers.end(made.id, 'DECLINED', at(11))).toBeNull();
      expect(await ctx.store.lockTransfers.listOpen(bob.username, at(11))).toEqual([]);
      expect(await ctx.store.lockTransfers.lastAccepted(['tr-acc', 'nope'])).toEqual(new Map([['tr-acc', at(10)]]));
    });

    it('refuses to accept when the lock changed hands meanwhile, and voids that offer', async () => {
      const [alice, bob, carol] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'tr-moved', alice.username);
      const made = await offer(ctx.store, 'tr-moved', alice.username, bob.username);
      await ctx.store.locks.update('tr-moved', { owner: carol.username });
      expect(await ctx.store.lockTransfers.accept(made.id, at(1))).toBeNull();
      expect((await ctx.store.locks.findByDeviceId('tr-moved'))?.owner).toBe(carol.username);
      expect((await ctx.store.lockTransfers.findById(made.id))?.state).toBe('CANCELLED');
    });

    it("a new owner's offer cancels the open offer of the former owner", async () => {
      const [alice, bob, carol] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'tr-re', alice.username);
      const stale = await offer(ctx.store, 'tr-re', alice.username, bob.username);
      await ctx.store.locks.update('tr-re', { owner: carol.username });
      const fresh = await offer(ctx.store, 'tr-re', carol.username, bob.username, at(5));
      expect(fresh.state).toBe('OPEN');
      expect((await ctx.store.lockTransfers.findById(stale.id))?.state).toBe('CANCELLED');
    });

    it('declines or cancels an open offer once', async () => {
      const [alice, bob] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'tr-end', alice.username);
      const made = await offer(ctx.store, 'tr-end', alice.username, bob.username);
      expect(await ctx.store.lockTransfers.end(made.id, 'CANCELLED', at(3))).toMatchObject({ state: 'CANCELLED', endedAt: at(3) });
      expect(await ctx.store.lockTransfers.end(made.id, 'DECLINED', at(4))).toBeNull();
      expect(await ctx.store.lockTransfers.accept(made.id, at(5))).toBeNull();
      expect(await ctx.store.lockTransfers.findById('no-such-offer')).toBeNull();
    });

    it('removing the lock removes its offers; forgetting a user drops their open offers and renames them in ended ones', async () => {
      const [alice, bob, carol] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'tr-gone', alice.username);
      const gone = await offer(ctx.store, 'tr-gone', alice.username, bob.username);
      await ctx.store.locks.remove('tr-gone');
      expect(await ctx.store.lockTransfers.findById(gone.id)).toBeNull();

      await seedLock(ctx.store, 'tr-sold', alice.username);
      const sold = await offer(ctx.store, 'tr-sold', alice.username, bob.username);
      await ctx.store.lockTransfers.accept(sold.id, at(1));
      const pending = await offer(ctx.store, 'tr-sold', bob.username, carol.username, at(2));
      await ctx.store.lockTransfers.forgetUser(bob.username, 'deleted-x');
      expect(await ctx.store.lockTransfers.findById(pending.id)).toBeNull();
      expect(await ctx.store.lockTransfers.findById(sold.id)).toMatchObject({ fromUser: alice.username, toUser: 'deleted-x', state: 'ACCEPTED' });
    });

    it("lists a lock's commands still SENT, by counter (a transfer ends them)", async () => {
      const base = { action: 'UNLOCK' as const, requestedBy: 'alice' };
      await ctx.store.commands.create({ ...base, id: 'ts-2', deviceId: 'tr-cmd', counter: 2 });
      await ctx.store.commands.create({ ...base, id: 'ts-1', deviceId: 'tr-cmd', counter: 1 });
      await ctx.store.commands.create({ ...base, id: 'ts-3', deviceId: 'tr-cmd', counter: 3 });
      await ctx.store.commands.create({ ...base, id: 'ts-other', deviceId: 'tr-other', counter: 1 });
      await ctx.store.commands.complete('ts-3', 'SUCCEEDED', null, at(1));
      expect((await ctx.store.commands.listSentByDevice('tr-cmd')).map((c) => c.id)).toEqual(['ts-1', 'ts-2']);
    });
  });
}
