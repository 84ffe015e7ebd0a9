/** Recovery links (single use, newest only, expiring) and recovery email addresses (verified once by a link). */
import { describe, expect, it } from 'vitest';
import { at, type ContractContext, seedUser } from './contract-context.js';

export function describeRecoveryContract(ctx: ContractContext): void {
  describe('recovery tokens', () => {
    it('consumes a token once, only before it expires, and a new one replaces the old', async () => {
      const user = await seedUser(ctx.store);
      const token = { userId: user.id, tokenHash: 'h1', issuedBy: 'admin' as const, resetSecondFactor: true, createdAt: at(0), expiresAt: at(60_000) };
      await ctx.store.recoveryTokens.replace(token);
      expect(await ctx.store.recoveryTokens.find('h1', at(1))).toEqual(token);
      expect(await ctx.store.recoveryTokens.find('h1', at(60_000))).toBeNull();
      expect(await ctx.store.recoveryTokens.consume('h1', at(60_000))).toBeNull(); // expired at its expiry
      expect(await ctx.store.recoveryTokens.consume('h1', at(1))).toEqual(token);
      expect(await ctx.store.recoveryTokens.consume('h1', at(1))).toBeNull();

      await ctx.store.recoveryTokens.replace({ ...token, tokenHash: 'h2' });
      await ctx.store.recoveryTokens.replace({ ...token, tokenHash: 'h3', issuedBy: 'email', resetSecondFactor: false });
      expect(await ctx.store.recoveryTokens.consume('h2', at(1))).toBeNull();
      const raced = await Promise.all([ctx.store.recoveryTokens.consume('h3', at(1)), ctx.store.recoveryTokens.consume('h3', at(1))]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      expect(raced.find(Boolean)).toMatchObject({ issuedBy: 'email', resetSecondFactor: false });
    });

    it('removes a user’s token, and removing the user removes it', async () => {
      const user = await seedUser(ctx.store);
      const token = { userId: user.id, tokenHash: 'r1', issuedBy: 'email' as const, resetSecondFactor: false, createdAt: at(0), expiresAt: at(60_000) };
      await ctx.store.recoveryTokens.replace(token);
      await ctx.store.recoveryTokens.removeForUser(user.id);
      expect(await ctx.store.recoveryTokens.consume('r1', at(1))).toBeNull();
      await ctx.store.recoveryTokens.replace({ ...token, tokenHash: 'r2' });
      await ctx.store.users.remove(user.id);
      expect(await ctx.store.recoveryTokens.consume('r2', at(1))).toBeNull();
    });
  });

  describe('recovery email addresses', () => {
    it('verifies an address once with its pending link, before it expires; a new address is unverified again', async () => {
      const user = await seedUser(ctx.store);
      expect(await ctx.store.emails.find(user.id)).toBeNull();
      const pending = await ctx.store.emails.setUnverified(user.id, 'a@example.org', 'v1', at(60_000));
      expect(pending).toEqual({ userId: user.id, address: 'a@example.org', verifiedAt: null, verifyTokenHash: 'v1', verifyExpiresAt: at(60_000) });
      expect(await ctx.store.emails.findVerifiedByAddress('a@example.org')).toEqual([]);
      expect(await ctx.store.emails.verify('v1', at(60_000))).toBeNull();
      expect(await ctx.store.emails.verify('v1', at(5))).toEqual({ userId: user.id, address: 'a@example.org', verifiedAt: at(5), verifyTokenHash: null, verifyExpiresAt: null });
      expect(await ctx.store.emails.verify('v1', at(6))).toBeNull();
      expect((await ctx.store.emails.findVerifiedByAddress('a@example.org')).map((e) => e.userId)).toEqual([user.id]);

      await ctx.store.emails.setUnverified(user.id, 'b@example.org', 'v2', at(60_000));
      expect(await ctx.store.emails.findVerifiedByAddress('a@example.org')).toEqual([]);
      expect((await ctx.store.emails.find(user.id))?.verifiedAt).toBeNull();
    });

    it('lets two users verify one address, and removes one (also with the user)', async () => {
      const [one, two] = [await seedUser(ctx.store), await seedUser(ctx.store)];
      await ctx.store.emails.setUnverified(one.id, 'shared@example.org', 's1', at(60_000));
      await ctx.store.emails.setUnverified(two.id, 'shared@example.org', 's2', at(60_000));
      await ctx.store.emails.verify('s1', at(1));
      await ctx.store.emails.verify('s2', at(1));
      expect((await ctx.store.emails.findVerifiedByAddress('shared@example.org')).map((e) => e.userId).sort()).toEqual([one.id, two.id].sort());
      expect(await ctx.store.emails.remove(one.id)).toBe(true);
      expect(await ctx.store.emails.remove(one.id)).toBe(false);
      await ctx.store.users.remove(two.id);
      expect(await ctx.store.emails.findVerifiedByAddress('shared@example.org')).toEqual([]);
    });
  });
}
