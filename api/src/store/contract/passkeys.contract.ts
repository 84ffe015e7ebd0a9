/** Passkeys: one credential id across users, owner-scoped rename and removal, counter compare-and-set, single-use challenges. */
import { describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '../errors.js';
import { at, type ContractContext, seedUser } from './contract-context.js';

export function describePasskeysContract(ctx: ContractContext): void {
  describe('passkeys', () => {
    const passkey = (userId: string, credentialId: string) => ({ userId, credentialId, publicKey: `pk-${credentialId}`, counter: 0, transports: ['internal', 'hybrid'], name: 'Laptop', createdAt: at(0) });

    it('creates, lists, finds by credential id, and refuses a credential id twice', async () => {
      const alice = await seedUser(ctx.store);
      const bob = await seedUser(ctx.store);
      const created = await ctx.store.passkeys.create(passkey(alice.id, 'cred-a'));
      expect(created).toEqual({ id: created.id, ...passkey(alice.id, 'cred-a'), lastUsedAt: null });
      expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
      await expect(ctx.store.passkeys.create(passkey(bob.id, 'cred-a'))).rejects.toBeInstanceOf(DuplicateKeyError);
      expect(await ctx.store.passkeys.listByUser(alice.id)).toEqual([created]);
      expect(await ctx.store.passkeys.listByUser(bob.id)).toEqual([]);
      expect(await ctx.store.passkeys.findByCredentialId('cred-a')).toEqual(created);
      expect(await ctx.store.passkeys.findByCredentialId('nope')).toBeNull();
    });

    it("renames and removes only the owner's passkey", async () => {
      const alice = await seedUser(ctx.store);
      const bob = await seedUser(ctx.store);
      const created = await ctx.store.passkeys.create(passkey(alice.id, 'cred-b'));
      expect(await ctx.store.passkeys.rename(bob.id, created.id, 'Mine now')).toBeNull();
      expect((await ctx.store.passkeys.rename(alice.id, created.id, 'Phone'))?.name).toBe('Phone');
      expect(await ctx.store.passkeys.remove(bob.id, created.id)).toBeNull();
      expect((await ctx.store.passkeys.remove(alice.id, created.id))?.credentialId).toBe('cred-b');
      expect(await ctx.store.passkeys.remove(alice.id, created.id)).toBeNull();
      expect(await ctx.store.passkeys.findByCredentialId('cred-b')).toBeNull();
    });

    it('records a use only while the counter is the expected one', async () => {
      const alice = await seedUser(ctx.store);
      const created = await ctx.store.passkeys.create(passkey(alice.id, 'cred-c'));
      const raced = await Promise.all([ctx.store.passkeys.recordUse(created.id, 0, 5, at(1)), ctx.store.passkeys.recordUse(created.id, 0, 6, at(1))]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      const after = await ctx.store.passkeys.findByCredentialId('cred-c');
      expect([5, 6]).toContain(after?.counter);
      expect(after?.lastUsedAt).toEqual(at(1));
      expect(await ctx.store.passkeys.recordUse(created.id, 0, 7, at(2))).toBe(false);
    });

    it('goes with its user', async () => {
      const alice = await seedUser(ctx.store);
      await ctx.store.passkeys.create(passkey(alice.id, 'cred-d'));
      await ctx.store.users.remove(alice.id);
      expect(await ctx.store.passkeys.findByCredentialId('cred-d')).toBeNull();
    });

    it('accepts a challenge once, and forgets it once expired', async () => {
      const raced = await Promise.all([ctx.store.passkeys.useChallenge('ch-1', at(60_000), at(0)), ctx.store.passkeys.useChallenge('ch-1', at(60_000), at(0))]);
      expect(raced.filter(Boolean)).toHaveLength(1);
      expect(await ctx.store.passkeys.useChallenge('ch-1', at(60_000), at(1))).toBe(false);
      expect(await ctx.store.passkeys.useChallenge('ch-2', at(60_000), at(0))).toBe(true);
    });
  });
}
