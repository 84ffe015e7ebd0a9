import { describe, expect, it } from 'vitest';
import type { LockPatch } from '../records.js';
import { at, type ContractContext, seedLock, seedUser } from './contract-context.js';

const online = (seenAt: Date): LockPatch => ({ status: 'LOCKED', state: 'AVAILABLE', lastSeen: seenAt });

export function describeLockStatusContract(ctx: ContractContext): void {
  async function seedLocks(...deviceIds: string[]) {
    await seedUser(ctx.store, 'alice');
    for (const deviceId of deviceIds) await seedLock(ctx.store, deviceId, 'alice');
  }
  const apply = (deviceId: string, boot: number, seq: number, patch: LockPatch = {}) =>
    ctx.store.locks.applyStatus({ deviceId, boot, seq, patch });

  describe('lock status', () => {
    it('applies a status with its patch and stores its (boot, seq)', async () => {
      await seedLocks('d1');
      const lock = await apply('d1', 1, 1, { ...online(at(0)), battery: 80, rssi: -60, firmware: '1.2.0' });
      expect(lock).toMatchObject({ status: 'LOCKED', state: 'AVAILABLE', lastSeen: at(0), battery: 80 });
      expect(lock).toMatchObject({ rssi: -60, firmware: '1.2.0', lastBoot: 1, lastSeq: 1 });
      expect(await ctx.store.locks.findByDeviceId('d1')).toEqual(lock);
    });

    it('accepts only a (boot, seq) above the stored one', async () => {
      await seedLocks('d1');
      expect(await apply('d1', 2, 5, { status: 'LOCKED' })).not.toBeNull();
      expect(await apply('d1', 2, 5, { status: 'JAMMED' })).toBeNull(); // duplicate
      expect(await apply('d1', 2, 4, { status: 'JAMMED' })).toBeNull(); // replayed lower seq
      expect(await apply('d1', 1, 99, { status: 'JAMMED' })).toBeNull(); // older boot
      expect(await apply('d1', 2, 6, { status: 'UNLOCKED' })).toMatchObject({ status: 'UNLOCKED', lastSeq: 6 });
      expect(await apply('d1', 3, 1, { status: 'LOCKED' })).toMatchObject({ lastBoot: 3, lastSeq: 1 }); // reboot
      expect(await ctx.store.locks.findByDeviceId('d1')).toMatchObject({ status: 'LOCKED', lastBoot: 3, lastSeq: 1 });
    });

    it('returns null when applying a status to an unknown lock', async () => {
      expect(await apply('ghost', 1, 1, { status: 'LOCKED' })).toBeNull();
    });

    it('applies a batch of statuses and reports only the devices whose status was newer', async () => {
      await seedLocks('d1', 'd2', 'd3');
      await apply('d2', 5, 5);
      const applied = await ctx.store.locks.applyStatuses([
        { deviceId: 'd1', boot: 1, seq: 1, patch: online(at(10)) },
        { deviceId: 'd2', boot: 5, seq: 4, patch: online(at(10)) }, // replay
        { deviceId: 'd3', boot: 1, seq: 1, patch: online(at(11)) },
        { deviceId: 'ghost', boot: 1, seq: 1, patch: online(at(11)) },
      ]);
      expect([...applied].sort()).toEqual(['d1', 'd3']);
      expect(await ctx.store.locks.findByDeviceId('d1')).toMatchObject({ lastSeen: at(10), state: 'AVAILABLE' });
      expect(await ctx.store.locks.findByDeviceId('d2')).toMatchObject({ lastSeen: null, lastSeq: 5 });
      expect(await ctx.store.locks.findByDeviceId('d3')).toMatchObject({ lastSeen: at(11) });
      expect(await ctx.store.locks.applyStatuses([])).toEqual([]);
    });

    it('finds only AVAILABLE locks last seen before the cut-off, oldest first, up to the limit', async () => {
      await seedLocks('fresh', 'old', 'older', 'oldest', 'offline', 'never');
      await ctx.store.locks.update('fresh', online(at(100)));
      await ctx.store.locks.update('old', online(at(-10)));
      await ctx.store.locks.update('older', online(at(-20)));
      await ctx.store.locks.update('oldest', online(at(-30)));
      await ctx.store.locks.update('offline', { state: 'UNAVAILABLE', lastSeen: at(-50) });
      const ids = (locks: { deviceId: string }[]) => locks.map((lock) => lock.deviceId);
      expect(ids(await ctx.store.locks.findStale(at(0), 10))).toEqual(['oldest', 'older', 'old']);
      expect(ids(await ctx.store.locks.findStale(at(0), 2))).toEqual(['oldest', 'older']);
      expect(ids(await ctx.store.locks.findStale(at(-30), 10))).toEqual([]);
    });

    it("gives a lock that announced a heartbeat two of its intervals beyond 9 s past the cut-off (§13.4)", async () => {
      await seedLocks('mains', 'battery-due', 'battery-waiting');
      await ctx.store.locks.update('mains', online(at(-1)));
      // hb 60: stale only when last seen more than 2 × (60 − 9) s = 102 s before the cut-off.
      await ctx.store.locks.update('battery-due', { ...online(at(-102_001)), heartbeatS: 60 });
      await ctx.store.locks.update('battery-waiting', { ...online(at(-101_000)), heartbeatS: 60 });
      const ids = (locks: { deviceId: string }[]) => locks.map((lock) => lock.deviceId);
      expect(ids(await ctx.store.locks.findStale(at(0), 10))).toEqual(['battery-due', 'mains']);
      expect(await ctx.store.locks.markUnavailableIfStale('battery-waiting', at(0), 'no heartbeat')).toBeNull();
      expect(await ctx.store.locks.markUnavailableIfStale('battery-due', at(0), 'no heartbeat')).toMatchObject({ state: 'UNAVAILABLE', heartbeatS: 60 });
    });

    it('marks a lock UNAVAILABLE with an issue only while it is still AVAILABLE and stale', async () => {
      await seedLocks('stale', 'fresh', 'offline');
      await ctx.store.locks.update('stale', online(at(-10)));
      await ctx.store.locks.update('fresh', online(at(10)));
      await ctx.store.locks.update('offline', { state: 'UNAVAILABLE', lastSeen: at(-10) });
      const marked = await ctx.store.locks.markUnavailableIfStale('stale', at(0), 'no heartbeat');
      expect(marked).toMatchObject({ deviceId: 'stale', state: 'UNAVAILABLE', issue: 'no heartbeat', status: 'LOCKED' });
      expect(await ctx.store.locks.markUnavailableIfStale('stale', at(0), 'again')).toBeNull();
      expect(await ctx.store.locks.markUnavailableIfStale('fresh', at(0), 'no heartbeat')).toBeNull();
      expect(await ctx.store.locks.markUnavailableIfStale('offline', at(0), 'no heartbeat')).toBeNull();
      expect(await ctx.store.locks.markUnavailableIfStale('ghost', at(0), 'no heartbeat')).toBeNull();
      expect(await ctx.store.locks.findByDeviceId('fresh')).toMatchObject({ state: 'AVAILABLE', issue: null });
    });

    it('marks every AVAILABLE lock UNAVAILABLE with an issue, at most `limit` per call, and returns them', async () => {
      await seedLocks('a', 'b', 'c', 'offline', 'new');
      for (const deviceId of ['a', 'b', 'c']) await ctx.store.locks.update(deviceId, online(at(-10)));
      await ctx.store.locks.update('offline', { state: 'UNAVAILABLE', issue: 'No heartbeat', lastSeen: at(-50) });
      expect(await ctx.store.locks.markAllUnavailable('Server restarted', 0)).toEqual([]);
      const first = await ctx.store.locks.markAllUnavailable('Server restarted', 2);
      const second = await ctx.store.locks.markAllUnavailable('Server restarted', 2);
      expect(first).toHaveLength(2);
      expect(second).toHaveLength(1);
      expect(await ctx.store.locks.markAllUnavailable('Server restarted', 2)).toEqual([]);
      const marked = [...first, ...second];
      expect(marked.map((lock) => lock.deviceId).sort()).toEqual(['a', 'b', 'c']);
      for (const lock of marked) {
        expect(lock).toMatchObject({ state: 'UNAVAILABLE', issue: 'Server restarted', status: 'LOCKED', lastSeen: at(-10) });
        expect(await ctx.store.locks.findByDeviceId(lock.deviceId)).toEqual(lock);
      }
      expect(await ctx.store.locks.findByDeviceId('offline')).toMatchObject({ state: 'UNAVAILABLE', issue: 'No heartbeat' });
      expect(await ctx.store.locks.findByDeviceId('new')).toMatchObject({ state: 'UNAVAILABLE', issue: null });
    });

    it('marks a lock last seen in the very millisecond given (its last status and its will arrived together)', async () => {
      await seedLocks('d1');
      await ctx.store.locks.update('d1', online(at(0)));
      expect(await ctx.store.locks.markUnavailableIfStale('d1', at(0), 'Connection lost')).toMatchObject({ state: 'UNAVAILABLE', issue: 'Connection lost' });
    });

    it('does not mark a lock that a heartbeat refreshed after the sweep found it', async () => {
      await seedLocks('d1');
      await ctx.store.locks.update('d1', online(at(-10)));
      const [found] = await ctx.store.locks.findStale(at(0), 10);
      expect(found?.deviceId).toBe('d1');
      await apply('d1', 1, 1, { lastSeen: at(1) });
      expect(await ctx.store.locks.markUnavailableIfStale('d1', at(0), 'no heartbeat')).toBeNull();
      expect(await ctx.store.locks.findByDeviceId('d1')).toMatchObject({ state: 'AVAILABLE' });
    });

    it('marks a lock UNAVAILABLE with an issue unless a status was accepted since, and only once', async () => {
      await seedLocks('seen', 'silent', 'never');
      await apply('seen', 1, 1, online(at(5)));
      await apply('silent', 1, 1, online(at(-5)));
      // Another replica accepted a status after the will (or the stale status) arrived here: keep it.
      expect(await ctx.store.locks.markUnavailableUnlessSeenSince('seen', at(0), 'Clock out of sync')).toBeNull();
      expect(await ctx.store.locks.findByDeviceId('seen')).toMatchObject({ state: 'AVAILABLE', issue: null });
      const marked = await ctx.store.locks.markUnavailableUnlessSeenSince('silent', at(0), 'Clock out of sync');
      expect(marked).toMatchObject({ state: 'UNAVAILABLE', issue: 'Clock out of sync', status: 'LOCKED', lastSeq: 1 });
      expect(await ctx.store.locks.markUnavailableUnlessSeenSince('silent', at(1), 'Clock out of sync')).toBeNull(); // nothing to change
      expect(await ctx.store.locks.markUnavailableUnlessSeenSince('silent', at(1), 'Connection lost')).toMatchObject({ issue: 'Connection lost' });
      expect(await ctx.store.locks.markUnavailableUnlessSeenSince('never', at(0), 'Clock out of sync')).toMatchObject({ state: 'UNAVAILABLE', issue: 'Clock out of sync' });
      expect(await ctx.store.locks.markUnavailableUnlessSeenSince('ghost', at(0), 'Clock out of sync')).toBeNull();
    });

    it('stores the protocol version of a hello, and the door, motion and source of a v2 status', async () => {
      await seedLocks('d1');
      expect(await ctx.store.locks.update('d1', { protocolVersion: 2, protocolBoot: 5 })).toMatchObject({ protocolVersion: 2, protocolBoot: 5 });
      const moving = { status: 'UNLOCKED', door: 'CLOSED', boltMotion: 'LOCKING', lastChangeSource: 'AUTO', lastChangedBy: null } as const;
      expect(await ctx.store.locks.applyStatus({ deviceId: 'd1', boot: 5, seq: 2, patch: moving })).toMatchObject({ ...moving, protocolVersion: 2 });
      const remote = { status: 'LOCKED', door: 'OPEN', boltMotion: null, lastChangeSource: 'REMOTE', lastChangedBy: 'c-9', lastChangedAt: at(3) } as const;
      await ctx.store.locks.applyStatuses([{ deviceId: 'd1', boot: 5, seq: 3, patch: remote }]);
      expect(await ctx.store.locks.findByDeviceId('d1')).toMatchObject({ ...remote, protocolVersion: 2, protocolBoot: 5 });
      expect(await ctx.store.locks.update('d1', { protocolVersion: 1, protocolBoot: 6 })).toMatchObject({ protocolVersion: 1, protocolBoot: 6, door: 'OPEN', lastChangedAt: at(3) });
    });

    it('stores the ts of an accepted status with its (boot, seq), singly and in batches, and keeps it when absent', async () => {
      await seedLocks('d1', 'd2');
      expect((await ctx.store.locks.findByDeviceId('d1'))?.lastTs).toBe(0);
      expect(await ctx.store.locks.applyStatus({ deviceId: 'd1', boot: 1, seq: 1, ts: 1795760000, patch: online(at(0)) })).toMatchObject({ lastTs: 1795760000 });
      expect(await ctx.store.locks.applyStatus({ deviceId: 'd1', boot: 1, seq: 1, ts: 1795769999, patch: {} })).toBeNull();
      expect(await ctx.store.locks.applyStatus({ deviceId: 'd1', boot: 1, seq: 2, patch: {} })).toMatchObject({ lastSeq: 2, lastTs: 1795760000 });
      await ctx.store.locks.applyStatuses([
        { deviceId: 'd1', boot: 1, seq: 3, ts: 1795760009, patch: { lastSeen: at(9) } },
        { deviceId: 'd2', boot: 7, seq: 1, ts: 1795760010, patch: { lastSeen: at(10) } },
      ]);
      expect(await ctx.store.locks.findByDeviceId('d1')).toMatchObject({ lastSeq: 3, lastTs: 1795760009, lastSeen: at(9) });
      expect(await ctx.store.locks.findByDeviceId('d2')).toMatchObject({ lastBoot: 7, lastTs: 1795760010 });
    });
  });
}
