/** The sessions list and "end this session": live lines per user, what each remembers, and revocation that spares one line. */
import { describe, expect, it } from 'vitest';
import { at, type ContractContext, seedUser, setClock } from './contract-context.js';

export function describeSessionLinesContract(ctx: ContractContext): void {
  describe('session lines', () => {
    it('keeps what a line began with and copies it through a rotation', async () => {
      setClock(at(0));
      const user = await seedUser(ctx.store);
      const first = await ctx.store.sessions.create({
        familyId: 'line-1', userId: user.id, tokenHash: 'h1', expiresAt: at(60_000), userAgent: 'Firefox', clientAddress: '203.0.113.7',
      });
      expect(first).toMatchObject({ familyCreatedAt: at(0), authenticatedAt: at(0), userAgent: 'Firefox', clientAddress: '203.0.113.7' });
      setClock(at(5_000));
      const second = await ctx.store.sessions.create({
        familyId: 'line-1', userId: user.id, tokenHash: 'h2', expiresAt: at(65_000), familyCreatedAt: first.familyCreatedAt, authenticatedAt: first.authenticatedAt, clientAddress: '198.51.100.1',
      });
      expect(second).toMatchObject({ createdAt: at(5_000), familyCreatedAt: at(0), authenticatedAt: at(0), userAgent: null, clientAddress: '198.51.100.1' });
      expect(await ctx.store.sessions.findByTokenHash('h2')).toEqual(second);
    });

    it("lists a user's live tokens only: not rotated, revoked, expired or someone else's, newest first", async () => {
      const alice = await seedUser(ctx.store);
      const bob = await seedUser(ctx.store);
      setClock(at(0));
      const rotated = await ctx.store.sessions.create({ familyId: 'a', userId: alice.id, tokenHash: 'a1', expiresAt: at(60_000) });
      await ctx.store.sessions.markRotated(rotated.id, at(1));
      setClock(at(10));
      const current = await ctx.store.sessions.create({ familyId: 'a', userId: alice.id, tokenHash: 'a2', expiresAt: at(60_000) });
      setClock(at(20));
      const newer = await ctx.store.sessions.create({ familyId: 'b', userId: alice.id, tokenHash: 'b1', expiresAt: at(60_000) });
      await ctx.store.sessions.create({ familyId: 'c', userId: alice.id, tokenHash: 'c1', expiresAt: at(15) });
      const revoked = await ctx.store.sessions.create({ familyId: 'd', userId: alice.id, tokenHash: 'd1', expiresAt: at(60_000) });
      await ctx.store.sessions.revoke(revoked.id, at(21));
      await ctx.store.sessions.create({ familyId: 'e', userId: bob.id, tokenHash: 'e1', expiresAt: at(60_000) });
      const live = await ctx.store.sessions.listLive(alice.id, at(30));
      expect(live.map((s) => s.id)).toEqual([newer.id, current.id]);
    });

    it('tells whether a line is live: a rotated token keeps it live, revocation or expiry ends it', async () => {
      const user = await seedUser(ctx.store);
      const session = await ctx.store.sessions.create({ familyId: 'line', userId: user.id, tokenHash: 'x', expiresAt: at(1_000) });
      expect(await ctx.store.sessions.isFamilyLive('line', at(0))).toBe(true);
      await ctx.store.sessions.markRotated(session.id, at(1));
      expect(await ctx.store.sessions.isFamilyLive('line', at(2))).toBe(true);
      expect(await ctx.store.sessions.isFamilyLive('line', at(1_000))).toBe(false);
      await ctx.store.sessions.revokeFamily('line', at(3));
      expect(await ctx.store.sessions.isFamilyLive('line', at(4))).toBe(false);
      expect(await ctx.store.sessions.isFamilyLive('no such line', at(4))).toBe(false);
    });

    it('records a fresh proof of identity on the live line only', async () => {
      setClock(at(0));
      const user = await seedUser(ctx.store);
      await ctx.store.sessions.create({ familyId: 'line', userId: user.id, tokenHash: 'l1', expiresAt: at(60_000) });
      await ctx.store.sessions.create({ familyId: 'other', userId: user.id, tokenHash: 'o1', expiresAt: at(60_000) });
      expect(await ctx.store.sessions.markAuthenticated('line', at(9_000))).toBe(true);
      expect((await ctx.store.sessions.findByTokenHash('l1'))?.authenticatedAt).toEqual(at(9_000));
      expect((await ctx.store.sessions.findByTokenHash('o1'))?.authenticatedAt).toEqual(at(0));
      await ctx.store.sessions.revokeFamily('line', at(10_000));
      expect(await ctx.store.sessions.markAuthenticated('line', at(11_000))).toBe(false);
      expect(await ctx.store.sessions.markAuthenticated('no such line', at(11_000))).toBe(false);
    });

    it("revokes every line of a user but the one kept, and no one else's", async () => {
      const alice = await seedUser(ctx.store);
      const bob = await seedUser(ctx.store);
      await ctx.store.sessions.create({ familyId: 'kept', userId: alice.id, tokenHash: 'k', expiresAt: at(60_000) });
      await ctx.store.sessions.create({ familyId: 'other-1', userId: alice.id, tokenHash: 'o1', expiresAt: at(60_000) });
      await ctx.store.sessions.create({ familyId: 'other-2', userId: alice.id, tokenHash: 'o2', expiresAt: at(60_000) });
      await ctx.store.sessions.create({ familyId: 'bobs', userId: bob.id, tokenHash: 'b', expiresAt: at(60_000) });
      await ctx.store.sessions.revokeAllForUser(alice.id, at(5), 'kept');
      expect((await ctx.store.sessions.findByTokenHash('k'))?.revokedAt).toBeNull();
      expect((await ctx.store.sessions.findByTokenHash('o1'))?.revokedAt).toEqual(at(5));
      expect((await ctx.store.sessions.findByTokenHash('o2'))?.revokedAt).toEqual(at(5));
      expect((await ctx.store.sessions.findByTokenHash('b'))?.revokedAt).toBeNull();
    });
  });
}
