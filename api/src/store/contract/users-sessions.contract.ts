import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '../errors.js';
import { at, type ContractContext, seedUser, setClock } from './contract-context.js';

export function describeUserContract(ctx: ContractContext): void {
  describe('users', () => {
    it('creates a user with token version 0 and finds it by id and by username', async () => {
      const created = await ctx.store.users.create({ username: 'alice', passwordHash: 'h1', role: 'ADMIN' });
      expect(created).toMatchObject({ username: 'alice', passwordHash: 'h1', role: 'ADMIN', tokenVersion: 0 });
      expect(created.id).toEqual(expect.any(String));
      expect(created.createdAt).toBeInstanceOf(Date);
      expect(await ctx.store.users.findById(created.id)).toEqual(created);
      expect(await ctx.store.users.findByUsername('alice')).toEqual(created);
    });

    it('rejects a second user with the same username as a duplicate username', async () => {
      await seedUser(ctx.store, 'alice');
      const again = ctx.store.users.create({ username: 'alice', passwordHash: 'h2', role: 'USER' });
      await expect(again).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(again).rejects.toMatchObject({ field: 'username' });
    });

    it('returns null for an unknown id or username', async () => {
      expect(await ctx.store.users.findById(randomUUID())).toBeNull();
      expect(await ctx.store.users.findById('0123456789abcdef01234567')).toBeNull();
      expect(await ctx.store.users.findById('not an id')).toBeNull();
      expect(await ctx.store.users.findByUsername('nobody')).toBeNull();
    });

    it('lists every user', async () => {
      await seedUser(ctx.store, 'bob');
      await seedUser(ctx.store, 'alice');
      const names = (await ctx.store.users.list()).map((user) => user.username);
      expect(names.sort()).toEqual(['alice', 'bob']);
    });

    it('changes a role and returns the updated user, or null for an unknown user', async () => {
      await seedUser(ctx.store, 'alice');
      expect(await ctx.store.users.setRole('alice', 'ADMIN')).toMatchObject({ username: 'alice', role: 'ADMIN' });
      expect((await ctx.store.users.findByUsername('alice'))?.role).toBe('ADMIN');
      expect(await ctx.store.users.setRole('alice', 'USER')).toMatchObject({ role: 'USER' });
      expect(await ctx.store.users.setRole('nobody', 'ADMIN')).toBeNull();
    });

    it('changes a password hash and returns the updated user, or null for an unknown user', async () => {
      await seedUser(ctx.store, 'alice');
      expect(await ctx.store.users.setPasswordHash('alice', 'new-hash')).toMatchObject({ passwordHash: 'new-hash' });
      expect((await ctx.store.users.findByUsername('alice'))?.passwordHash).toBe('new-hash');
      expect(await ctx.store.users.setPasswordHash('nobody', 'x')).toBeNull();
    });

    it('bumps the token version atomically when many callers race', async () => {
      const user = await seedUser(ctx.store);
      const versions = await Promise.all(Array.from({ length: 20 }, () => ctx.store.users.bumpTokenVersion(user.id)));
      expect([...versions].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 20 }, (_, i) => i + 1));
      expect((await ctx.store.users.findById(user.id))?.tokenVersion).toBe(20);
    });

    it('returns null when bumping the token version of an unknown user', async () => {
      expect(await ctx.store.users.bumpTokenVersion(randomUUID())).toBeNull();
    });

    it('after a restore, moves every token version above both its stored value and the floor given', async () => {
      const low = await seedUser(ctx.store, 'low');
      const high = await seedUser(ctx.store, 'high');
      for (let i = 0; i < 5; i++) await ctx.store.users.bumpTokenVersion(high.id);
      expect(await ctx.store.users.invalidateAllTokenVersions(3)).toBe(2);
      expect((await ctx.store.users.findById(low.id))?.tokenVersion).toBe(3); // the floor
      expect((await ctx.store.users.findById(high.id))?.tokenVersion).toBe(6); // its own + 1, above the floor
    });
  });
}

export function describeSessionContract(ctx: ContractContext): void {
  describe('sessions', () => {
    async function seedSession(userId: string, familyId: string = randomUUID(), expiresAt = at(3_600_000)) {
      return ctx.store.sessions.create({ familyId, userId, tokenHash: randomUUID(), expiresAt });
    }

    it('creates a live session and finds it by token hash', async () => {
      setClock(at(0));
      const user = await seedUser(ctx.store);
      const session = await ctx.store.sessions.create({
        familyId: 'family-1',
        userId: user.id,
        tokenHash: 'hash-1',
        expiresAt: at(60_000),
      });
      expect(session).toMatchObject({ familyId: 'family-1', userId: user.id, tokenHash: 'hash-1' });
      expect(session).toMatchObject({ createdAt: at(0), expiresAt: at(60_000), rotatedAt: null, revokedAt: null });
      expect(await ctx.store.sessions.findByTokenHash('hash-1')).toEqual(session);
    });

    it('returns null for an unknown token hash', async () => {
      expect(await ctx.store.sessions.findByTokenHash('nope')).toBeNull();
    });

    it('rotates a session exactly once when two callers race', async () => {
      const user = await seedUser(ctx.store);
      const session = await seedSession(user.id);
      const results = await Promise.all([
        ctx.store.sessions.markRotated(session.id, at(1)),
        ctx.store.sessions.markRotated(session.id, at(2)),
      ]);
      expect(results.filter(Boolean)).toHaveLength(1);
      expect((await ctx.store.sessions.findByTokenHash(session.tokenHash))?.rotatedAt).toBeInstanceOf(Date);
      expect(await ctx.store.sessions.markRotated(session.id, at(3))).toBe(false);
    });

    it('neither rotates nor revokes again a session that was revoked', async () => {
      const user = await seedUser(ctx.store);
      const session = await seedSession(user.id);
      expect(await ctx.store.sessions.revoke(session.id, at(1))).toBe(true);
      expect(await ctx.store.sessions.revoke(session.id, at(2))).toBe(false);
      expect(await ctx.store.sessions.markRotated(session.id, at(3))).toBe(false);
      const stored = await ctx.store.sessions.findByTokenHash(session.tokenHash);
      expect(stored).toMatchObject({ revokedAt: at(1), rotatedAt: null });
    });

    it('refuses to revoke a session that was already rotated', async () => {
      const user = await seedUser(ctx.store);
      const session = await seedSession(user.id);
      expect(await ctx.store.sessions.markRotated(session.id, at(1))).toBe(true);
      expect(await ctx.store.sessions.revoke(session.id, at(2))).toBe(false);
    });

    it('returns false when rotating or revoking an unknown session', async () => {
      expect(await ctx.store.sessions.markRotated(randomUUID(), at(1))).toBe(false);
      expect(await ctx.store.sessions.revoke(randomUUID(), at(1))).toBe(false);
    });

    it('revokes every session of one family and no other', async () => {
      const user = await seedUser(ctx.store);
      const first = await seedSession(user.id, 'family-a');
      const second = await seedSession(user.id, 'family-a');
      const other = await seedSession(user.id, 'family-b');
      await ctx.store.sessions.markRotated(first.id, at(1));
      await ctx.store.sessions.revokeFamily('family-a', at(5));
      expect((await ctx.store.sessions.findByTokenHash(first.tokenHash))?.revokedAt).toEqual(at(5));
      expect((await ctx.store.sessions.findByTokenHash(second.tokenHash))?.revokedAt).toEqual(at(5));
      expect((await ctx.store.sessions.findByTokenHash(other.tokenHash))?.revokedAt).toBeNull();
    });

    it("revokes every session of one user and no one else's", async () => {
      const alice = await seedUser(ctx.store);
      const bob = await seedUser(ctx.store);
      const aliceSessions = [await seedSession(alice.id), await seedSession(alice.id)];
      const bobSession = await seedSession(bob.id);
      await ctx.store.sessions.revokeAllForUser(alice.id, at(7));
      for (const session of aliceSessions) {
        expect((await ctx.store.sessions.findByTokenHash(session.tokenHash))?.revokedAt).toEqual(at(7));
      }
      expect((await ctx.store.sessions.findByTokenHash(bobSession.tokenHash))?.revokedAt).toBeNull();
    });

    it('deletes only the sessions that expired before the given time and counts them', async () => {
      const user = await seedUser(ctx.store);
      const old1 = await seedSession(user.id, 'f', at(-2_000));
      const old2 = await seedSession(user.id, 'f', at(-1_000));
      const live = await seedSession(user.id, 'f', at(1_000));
      expect(await ctx.store.sessions.deleteExpired(at(0), 1000)).toBe(2);
      expect(await ctx.store.sessions.findByTokenHash(old1.tokenHash)).toBeNull();
      expect(await ctx.store.sessions.findByTokenHash(old2.tokenHash)).toBeNull();
      expect(await ctx.store.sessions.findByTokenHash(live.tokenHash)).not.toBeNull();
      expect(await ctx.store.sessions.deleteExpired(at(0), 1000)).toBe(0);
    });

    it('deletes expired sessions in batches of at most the given size, rotated and revoked ones included', async () => {
      const user = await seedUser(ctx.store);
      const expired = [];
      for (let i = 0; i < 5; i += 1) expired.push(await seedSession(user.id, `family-${i}`, at(-1_000 - i)));
      const [rotated, revoked] = expired;
      if (!rotated || !revoked) throw new Error('seeding failed');
      await ctx.store.sessions.markRotated(rotated.id, at(-5_000));
      await ctx.store.sessions.revoke(revoked.id, at(-5_000));
      const live = await seedSession(user.id, 'live', at(1_000));
      expect(await ctx.store.sessions.deleteExpired(at(0), 2)).toBe(2);
      expect(await ctx.store.sessions.deleteExpired(at(0), 2)).toBe(2);
      expect(await ctx.store.sessions.deleteExpired(at(0), 2)).toBe(1);
      expect(await ctx.store.sessions.deleteExpired(at(0), 2)).toBe(0);
      for (const session of expired) expect(await ctx.store.sessions.findByTokenHash(session.tokenHash)).toBeNull();
      expect(await ctx.store.sessions.findByTokenHash(live.tokenHash)).not.toBeNull();
    });

    it('deletes nothing when the limit is zero', async () => {
      const user = await seedUser(ctx.store);
      await seedSession(user.id, 'f', at(-1_000));
      expect(await ctx.store.sessions.deleteExpired(at(0), 0)).toBe(0);
    });
  });
}
