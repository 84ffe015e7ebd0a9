import { describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '../errors.js';
import { at, type ContractContext, seedLock, seedUser, setClock } from './contract-context.js';

export function describeLockContract(ctx: ContractContext): void {
  describe('locks', () => {
    it('creates a lock as never seen: status UNKNOWN, UNAVAILABLE, counter 0, pair (0, 0)', async () => {
      setClock(at(0));
      await seedUser(ctx.store, 'alice');
      const lock = await ctx.store.locks.create({ deviceId: 'd1', name: 'Front', owner: 'alice', secretSealed: 's' });
      expect(lock).toEqual({
        deviceId: 'd1',
        name: 'Front',
        owner: 'alice',
        status: 'UNKNOWN',
        state: 'UNAVAILABLE',
        lastSeen: null,
        issue: null,
        battery: null,
        power: null,
        heartbeatS: null,
        rssi: null,
        firmware: null,
        secretSealed: 's',
        commandCounter: 0,
        lastBoot: 0,
        lastSeq: 0,
        lastTs: 0,
        protocolVersion: 1,
        protocolBoot: 0,
        timeZone: 'UTC',
        tlsRequired: false,
        rekeyId: null,
        secretPendingSealed: null,
        secretPreviousSealed: null,
        rekeyStartedAt: null,
        door: null,
        boltMotion: null,
        lastChangeSource: null,
        lastChangedBy: null,
        lastChangedAt: null,
        doorOpenSince: null,
        unlockedSince: null,
        alertDoorAjarMinutes: 10,
        alertUnlockedMinutes: null,
        alerts: [],
        createdAt: at(0),
        updatedAt: at(0),
      });
      expect(await ctx.store.locks.findByDeviceId('d1')).toEqual(lock);
    });

    it('keeps tlsRequired once set, through other updates', async () => {
      await seedUser(ctx.store, 'alice');
      await seedLock(ctx.store, 'd1', 'alice');
      expect(await ctx.store.locks.update('d1', { tlsRequired: true })).toMatchObject({ tlsRequired: true });
      expect(await ctx.store.locks.update('d1', { name: 'Back door' })).toMatchObject({ tlsRequired: true, name: 'Back door' });
      expect(await ctx.store.locks.findByDeviceId('d1')).toMatchObject({ tlsRequired: true });
    });

    it('rejects a second lock with the same device id as a duplicate deviceId', async () => {
      await seedUser(ctx.store, 'alice');
      await seedLock(ctx.store, 'd1', 'alice');
      const again = seedLock(ctx.store, 'd1', 'alice');
      await expect(again).rejects.toBeInstanceOf(DuplicateKeyError);
      await expect(again).rejects.toMatchObject({ field: 'deviceId' });
    });

    it('returns null for an unknown device id', async () => {
      expect(await ctx.store.locks.findByDeviceId('ghost')).toBeNull();
    });

    it("lists one owner's locks, and all locks", async () => {
      await seedUser(ctx.store, 'alice');
      await seedUser(ctx.store, 'bob');
      await seedLock(ctx.store, 'a1', 'alice');
      await seedLock(ctx.store, 'b1', 'bob');
      await seedLock(ctx.store, 'a2', 'alice');
      const ids = (locks: { deviceId: string }[]) => locks.map((lock) => lock.deviceId).sort();
      expect(ids(await ctx.store.locks.listByOwner('alice'))).toEqual(['a1', 'a2']);
      expect(ids(await ctx.store.locks.listByOwner('carol'))).toEqual([]);
      expect(ids(await ctx.store.locks.listAll())).toEqual(['a1', 'a2', 'b1']);
    });

    it('pages through all locks in device id order', async () => {
      await seedUser(ctx.store, 'alice');
      for (const id of ['c3', 'a1', 'b2']) await seedLock(ctx.store, id, 'alice');
      const first = await ctx.store.locks.listPage({ first: 2 });
      expect(first.items.map((lock) => lock.deviceId)).toEqual(['a1', 'b2']);
      expect(first.hasNextPage).toBe(true);
      const rest = await ctx.store.locks.listPage({ first: 2, after: first.endCursor ?? '' });
      expect(rest.items.map((lock) => lock.deviceId)).toEqual(['c3']);
      expect(rest.hasNextPage).toBe(false);
    });

    it('updates only the patched fields, can clear a field to null, and stamps updatedAt', async () => {
      setClock(at(0));
      await seedUser(ctx.store, 'alice');
      await seedUser(ctx.store, 'bob');
      await seedLock(ctx.store, 'd1', 'alice');
      setClock(at(1_000));
      const patched = await ctx.store.locks.update('d1', { name: 'Back', owner: 'bob', issue: 'low battery', battery: 15 });
      expect(patched).toMatchObject({ name: 'Back', owner: 'bob', issue: 'low battery', battery: 15, status: 'UNKNOWN' });
      expect(patched).toMatchObject({ secretSealed: 'sealed-d1', createdAt: at(0), updatedAt: at(1_000) });
      const cleared = await ctx.store.locks.update('d1', { issue: null, lastSeen: at(500), power: 'MAINS' });
      expect(cleared).toMatchObject({ name: 'Back', issue: null, battery: 15, lastSeen: at(500), power: 'MAINS' });
      expect(await ctx.store.locks.findByDeviceId('d1')).toEqual(cleared);
      // A key present but undefined is absent (it keeps the stored value); an empty patch only stamps.
      setClock(at(2_000));
      const kept = await ctx.store.locks.update('d1', { battery: undefined, issue: 'jammed' });
      expect(kept).toMatchObject({ battery: 15, issue: 'jammed', power: 'MAINS', updatedAt: at(2_000) });
      setClock(at(3_000));
      expect(await ctx.store.locks.update('d1', {})).toEqual({ ...kept, updatedAt: at(3_000) });
    });

    it('returns null when updating an unknown lock', async () => {
      expect(await ctx.store.locks.update('ghost', { name: 'x' })).toBeNull();
    });

    it('removes a lock once, even when commands and audit entries refer to it', async () => {
      await seedUser(ctx.store, 'alice');
      await seedLock(ctx.store, 'd1', 'alice');
      await ctx.store.commands.create({ id: 'c1', deviceId: 'd1', action: 'LOCK', counter: 1, requestedBy: 'alice' });
      await ctx.store.audit.append({ actor: 'alice', action: 'LOCK', deviceId: 'd1', result: 'SENT', detail: null });
      expect(await ctx.store.locks.remove('d1')).toBe(true);
      expect(await ctx.store.locks.findByDeviceId('d1')).toBeNull();
      expect(await ctx.store.locks.remove('d1')).toBe(false);
      const history = await ctx.store.audit.query({ deviceId: 'd1' }, { first: 10 });
      expect(history.items).toHaveLength(1);
    });

    it('allocates strictly increasing counters with no duplicates under 50 concurrent calls', async () => {
      await seedUser(ctx.store, 'alice');
      await seedLock(ctx.store, 'd1', 'alice');
      const counters = await Promise.all(Array.from({ length: 50 }, () => ctx.store.locks.allocateCounter('d1')));
      expect(new Set(counters).size).toBe(50);
      expect([...counters].sort((a, b) => (a ?? 0) - (b ?? 0))).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
      expect(await ctx.store.locks.allocateCounter('d1')).toBe(51);
      expect((await ctx.store.locks.findByDeviceId('d1'))?.commandCounter).toBe(51);
    });

    it('returns null when allocating a counter for an unknown lock', async () => {
      expect(await ctx.store.locks.allocateCounter('ghost')).toBeNull();
    });

    it('raises the counter only upwards', async () => {
      await seedUser(ctx.store, 'alice');
      await seedLock(ctx.store, 'd1', 'alice');
      await ctx.store.locks.raiseCounter('d1', 40);
      expect((await ctx.store.locks.findByDeviceId('d1'))?.commandCounter).toBe(40);
      await ctx.store.locks.raiseCounter('d1', 10);
      expect((await ctx.store.locks.findByDeviceId('d1'))?.commandCounter).toBe(40);
      expect(await ctx.store.locks.allocateCounter('d1')).toBe(41);
      await expect(ctx.store.locks.raiseCounter('ghost', 5)).resolves.toBeUndefined();
    });

    it('replaces a sealed secret only while it is still the one expected (key rotation)', async () => {
      await seedUser(ctx.store, 'alice');
      const lock = await seedLock(ctx.store, 'd1', 'alice');
      expect(await ctx.store.locks.replaceSealedSecret('d1', lock.secretSealed, 'resealed')).toBe(true);
      expect((await ctx.store.locks.findByDeviceId('d1'))?.secretSealed).toBe('resealed');
      // Rotated meanwhile: the stale expectation changes nothing.
      expect(await ctx.store.locks.replaceSealedSecret('d1', lock.secretSealed, 'old-resealed')).toBe(false);
      expect((await ctx.store.locks.findByDeviceId('d1'))?.secretSealed).toBe('resealed');
      expect(await ctx.store.locks.replaceSealedSecret('ghost', 'x', 'y')).toBe(false);
    });
  });
}
