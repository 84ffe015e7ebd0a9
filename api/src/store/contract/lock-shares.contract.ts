/** Lock shares and share invitations (sharing/): one share per (lock, person), single-use invitations, gone with the lock. */
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { StoredAccessRule } from '../lock-share-records.js';
import type { Store } from '../ports.js';
import { type ContractContext, at, seedLock, seedUser } from './contract-context.js';

const HOUR = 3_600_000;
const ALWAYS: StoredAccessRule = { startsAt: null, endsAt: null, weekly: [] };
const EVENINGS: StoredAccessRule = { startsAt: at(0), endsAt: at(48 * HOUR), weekly: [{ days: ['MONDAY', 'FRIDAY'], from: '18:00', to: '24:00' }] };

function share(store: Store, deviceId: string, guest: string, rule = ALWAYS, when = at(0)) {
  return store.lockShares.put({ id: randomUUID(), deviceId, guest, role: 'GUEST', rule, createdBy: 'owner', at: when });
}

function invite(store: Store, deviceId: string, createdBy: string, expiresAt = at(72 * HOUR)) {
  return store.lockShares.createInvitation({ id: randomUUID(), deviceId, tokenHash: randomUUID().replace(/-/g, ''), role: 'GUEST', ...EVENINGS, createdBy, createdAt: at(0), expiresAt });
}

export function describeLockSharesContract(ctx: ContractContext): void {
  describe('lock shares', () => {
    it('stores a share with its rule and finds it by id, by lock and person, by lock and by person', async () => {
      const [alice, bob] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'sh-a', alice.username);
      const made = await share(ctx.store, 'sh-a', bob.username, EVENINGS);
      expect(made).toMatchObject({ deviceId: 'sh-a', guest: bob.username, role: 'GUEST', ...EVENINGS, createdBy: 'owner', createdAt: at(0), updatedAt: at(0) });
      expect(await ctx.store.lockShares.findById(made.id)).toEqual(made);
      expect(await ctx.store.lockShares.find('sh-a', bob.username)).toEqual(made);
      expect(await ctx.store.lockShares.find('sh-a', alice.username)).toBeNull();
      expect(await ctx.store.lockShares.listByDevice('sh-a')).toEqual([made]);
      expect(await ctx.store.lockShares.listByGuest(bob.username)).toEqual([made]);
      expect(await ctx.store.lockShares.listByGuest(alice.username)).toEqual([]);
    });

    it('sharing again with the same person replaces the share, keeping its id and creation time', async () => {
      const [alice, bob] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'sh-again', alice.username);
      const first = await share(ctx.store, 'sh-again', bob.username, EVENINGS);
      const second = await ctx.store.lockShares.put({ id: randomUUID(), deviceId: 'sh-again', guest: bob.username, role: 'CO_OWNER', rule: ALWAYS, createdBy: 'admin', at: at(HOUR) });
      expect(second).toMatchObject({ id: first.id, role: 'CO_OWNER', ...ALWAYS, createdBy: 'admin', createdAt: at(0), updatedAt: at(HOUR) });
      expect(await ctx.store.lockShares.listByDevice('sh-again')).toHaveLength(1);
    });

    it('updates and removes one share; a second removal finds nothing', async () => {
      const [alice, bob] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'sh-upd', alice.username);
      const made = await share(ctx.store, 'sh-upd', bob.username);
      const changed = await ctx.store.lockShares.update(made.id, { role: 'GUEST', rule: EVENINGS, at: at(HOUR) });
      expect(changed).toMatchObject({ id: made.id, ...EVENINGS, updatedAt: at(HOUR), createdAt: at(0) });
      expect(await ctx.store.lockShares.remove(made.id)).toMatchObject({ id: made.id });
      expect(await ctx.store.lockShares.remove(made.id)).toBeNull();
      expect(await ctx.store.lockShares.update(made.id, { role: 'GUEST', rule: ALWAYS, at: at(2 * HOUR) })).toBeNull();
    });

    it('removing the lock removes its shares and invitations', async () => {
      const [alice, bob] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'sh-rm', alice.username);
      const made = await share(ctx.store, 'sh-rm', bob.username);
      const invitation = await invite(ctx.store, 'sh-rm', alice.username);
      await ctx.store.locks.remove('sh-rm');
      expect(await ctx.store.lockShares.findById(made.id)).toBeNull();
      expect(await ctx.store.lockShares.findInvitation(invitation.id)).toBeNull();
      expect(await ctx.store.lockShares.listByGuest(bob.username)).toEqual([]);
    });

    it('removeByDevice returns the shares it removed and drops the invitations', async () => {
      const [alice, bob, carol] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'sh-all', alice.username);
      await seedLock(ctx.store, 'sh-other', alice.username);
      await share(ctx.store, 'sh-all', bob.username);
      await share(ctx.store, 'sh-all', carol.username, ALWAYS, at(1));
      const kept = await share(ctx.store, 'sh-other', bob.username);
      const invitation = await invite(ctx.store, 'sh-all', alice.username);
      const gone = await ctx.store.lockShares.removeByDevice('sh-all');
      expect(gone.map((s) => s.guest)).toEqual([bob.username, carol.username]);
      expect(await ctx.store.lockShares.listByDevice('sh-all')).toEqual([]);
      expect(await ctx.store.lockShares.findInvitation(invitation.id)).toBeNull();
      expect(await ctx.store.lockShares.listByGuest(bob.username)).toEqual([kept]);
    });

    it('an invitation is used once, not after it expires, and is listed while pending', async () => {
      const alice = await seedUser(ctx.store);
      await seedLock(ctx.store, 'sh-inv', alice.username);
      const invitation = await invite(ctx.store, 'sh-inv', alice.username, at(10 * HOUR));
      expect(invitation).toMatchObject({ deviceId: 'sh-inv', role: 'GUEST', ...EVENINGS, usedAt: null, usedBy: null, expiresAt: at(10 * HOUR) });
      expect(await ctx.store.lockShares.findInvitationByTokenHash(invitation.tokenHash)).toEqual(invitation);
      expect(await ctx.store.lockShares.listPendingInvitations('sh-inv', at(HOUR))).toEqual([invitation]);
      expect(await ctx.store.lockShares.listPendingInvitations('sh-inv', at(10 * HOUR))).toEqual([]);
      expect(await ctx.store.lockShares.useInvitation(invitation.id, 'bob', at(10 * HOUR))).toBeNull();
      const results = await Promise.all([ctx.store.lockShares.useInvitation(invitation.id, 'bob', at(HOUR)), ctx.store.lockShares.useInvitation(invitation.id, 'carol', at(HOUR))]);
      const used = results.filter((r) => r !== null);
      expect(used).toHaveLength(1);
      expect(used[0]).toMatchObject({ usedAt: at(HOUR) });
      expect(await ctx.store.lockShares.listPendingInvitations('sh-inv', at(HOUR))).toEqual([]);
      expect(await ctx.store.lockShares.cancelInvitation(invitation.id)).toBe(false);
    });

    it('cancels a pending invitation once', async () => {
      const alice = await seedUser(ctx.store);
      await seedLock(ctx.store, 'sh-cancel', alice.username);
      const invitation = await invite(ctx.store, 'sh-cancel', alice.username);
      expect(await ctx.store.lockShares.cancelInvitation(invitation.id)).toBe(true);
      expect(await ctx.store.lockShares.cancelInvitation(invitation.id)).toBe(false);
      expect(await ctx.store.lockShares.useInvitation(invitation.id, 'bob', at(HOUR))).toBeNull();
    });

    it('forgetting a user removes the shares they hold and their pending invitations, and pseudonymises the rest', async () => {
      const [alice, bob] = await Promise.all([seedUser(ctx.store), seedUser(ctx.store)]);
      await seedLock(ctx.store, 'sh-forget', alice.username);
      await seedLock(ctx.store, 'sh-forget-b', bob.username);
      const held = await share(ctx.store, 'sh-forget', bob.username);
      const given = await ctx.store.lockShares.put({ id: randomUUID(), deviceId: 'sh-forget-b', guest: alice.username, role: 'GUEST', rule: ALWAYS, createdBy: bob.username, at: at(0) });
      const pending = await invite(ctx.store, 'sh-forget-b', bob.username);
      const usedOne = await invite(ctx.store, 'sh-forget', alice.username);
      await ctx.store.lockShares.useInvitation(usedOne.id, bob.username, at(HOUR));
      const gone = await ctx.store.lockShares.forgetUser(bob.username, 'deleted-1');
      expect(gone.map((s) => s.id)).toEqual([held.id]);
      expect(await ctx.store.lockShares.findById(held.id)).toBeNull();
      expect((await ctx.store.lockShares.findById(given.id))?.createdBy).toBe('deleted-1');
      expect(await ctx.store.lockShares.findInvitation(pending.id)).toBeNull();
      expect((await ctx.store.lockShares.findInvitation(usedOne.id))?.usedBy).toBe('deleted-1');
    });
  });

  describe('lock time zone', () => {
    it('is UTC for a new lock and keeps what is set', async () => {
      const alice = await seedUser(ctx.store);
      expect((await seedLock(ctx.store, 'tz-a', alice.username)).timeZone).toBe('UTC');
      expect((await ctx.store.locks.update('tz-a', { timeZone: 'Europe/Berlin' }))?.timeZone).toBe('Europe/Berlin');
      expect((await ctx.store.locks.findByDeviceId('tz-a'))?.timeZone).toBe('Europe/Berlin');
    });
  });
}
