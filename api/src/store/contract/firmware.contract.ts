/** Firmware releases, rollouts (compare-and-set) and each lock's latest update. */
import { describe, expect, it } from 'vitest';
import { DuplicateKeyError } from '../errors.js';
import type { NewFirmwareRelease } from '../firmware-records.js';
import { type ContractContext, seedLock, seedUser } from './contract-context.js';

const RELEASE: NewFirmwareRelease = {
  hw: 'esp32',
  version: '2.1.0',
  arc: 3,
  size: 10,
  sha256: 'a'.repeat(64),
  manifest: `sl-fw1;hw=esp32;fw=2.1.0;arc=3;size=10;sha256=${'a'.repeat(64)}`,
  msig: 'b'.repeat(128),
  addedBy: null,
};

export function describeFirmwareContract(ctx: ContractContext): void {
  describe('firmware', () => {
    it('adds releases, finds them by id and sha256, refuses a second one of the same version or image', async () => {
      const added = await ctx.store.firmware.addRelease(RELEASE);
      expect(added).toMatchObject({ ...RELEASE, id: expect.any(String) as string });
      expect(await ctx.store.firmware.findRelease(added.id)).toEqual(added);
      expect(await ctx.store.firmware.findReleaseBySha256(RELEASE.sha256)).toEqual(added);
      expect(await ctx.store.firmware.findRelease('nope')).toBeNull();
      await expect(ctx.store.firmware.addRelease({ ...RELEASE, sha256: 'c'.repeat(64) })).rejects.toEqual(new DuplicateKeyError('release'));
      await expect(ctx.store.firmware.addRelease({ ...RELEASE, version: '2.1.1' })).rejects.toEqual(new DuplicateKeyError('release'));
      expect(await ctx.store.firmware.listReleases()).toHaveLength(1);
    });

    it('changes a rollout only from the revision the caller read', async () => {
      const release = await ctx.store.firmware.addRelease(RELEASE);
      const rollout = await ctx.store.firmware.createRollout({ releaseId: release.id, stages: [10, 50, 100], maxFailurePercent: 20, startedBy: 'root' });
      expect(rollout).toMatchObject({ state: 'RUNNING', stageIndex: 0, revision: 1, stages: [10, 50, 100], pausedReason: null });
      const advanced = await ctx.store.firmware.updateRollout(rollout.id, 1, { stageIndex: 1 });
      expect(advanced).toMatchObject({ stageIndex: 1, revision: 2, state: 'RUNNING' });
      expect(await ctx.store.firmware.updateRollout(rollout.id, 1, { stageIndex: 2 })).toBeNull();
      const paused = await ctx.store.firmware.updateRollout(rollout.id, 2, { state: 'PAUSED', pausedReason: 'too many failures' });
      expect(paused).toMatchObject({ state: 'PAUSED', pausedReason: 'too many failures', stageIndex: 1, revision: 3 });
      expect(await ctx.store.firmware.updateRollout(rollout.id, 3, { state: 'RUNNING', pausedReason: null })).toMatchObject({ pausedReason: null });
      expect(await ctx.store.firmware.listRollouts()).toHaveLength(1);
    });

    it('keeps one update per lock: a new one only after the last is final, progress only for its id', async () => {
      const user = await seedUser(ctx.store);
      await seedLock(ctx.store, 'd1', user.username);
      const release = await ctx.store.firmware.addRelease(RELEASE);
      const base = { deviceId: 'd1', releaseId: release.id, releaseVersion: '2.1.0', rolloutId: null, stageIndex: 0 };
      const t = new Date('2026-11-30T08:00:00Z');
      expect(await ctx.store.firmware.startLockUpdate({ ...base, deviceId: 'ghost', updateId: 'upd-0' }, t)).toBeNull();
      expect(await ctx.store.firmware.startLockUpdate({ ...base, updateId: 'upd-1' }, t)).toMatchObject({ state: 'SENT', updateId: 'upd-1', reason: null });
      expect(await ctx.store.firmware.startLockUpdate({ ...base, updateId: 'upd-2' }, t)).toBeNull();
      expect(await ctx.store.firmware.progressLockUpdate('d1', 'upd-2', 'DOWNLOADING', null, t)).toBeNull();
      expect(await ctx.store.firmware.progressLockUpdate('d1', 'upd-1', 'DOWNLOADING', null, t)).toMatchObject({ state: 'DOWNLOADING' });
      expect(await ctx.store.firmware.progressLockUpdate('d1', 'upd-1', 'ROLLED_BACK', 'crash', t)).toMatchObject({ state: 'ROLLED_BACK', reason: 'crash' });
      expect(await ctx.store.firmware.progressLockUpdate('d1', 'upd-1', 'CONFIRMED', null, t)).toBeNull();
      expect(await ctx.store.firmware.startLockUpdate({ ...base, updateId: 'upd-3' }, t)).toMatchObject({ state: 'SENT', updateId: 'upd-3', reason: null });
      expect((await ctx.store.firmware.findLockUpdates(['d1', 'x'])).map((u) => u.updateId)).toEqual(['upd-3']);
      await ctx.store.locks.remove('d1');
      expect(await ctx.store.firmware.findLockUpdate('d1')).toBeNull();
    });
  });
}
