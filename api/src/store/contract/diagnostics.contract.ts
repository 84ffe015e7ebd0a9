/** The diagnostics history: append, range reads, removal with the lock, retention. */
import { describe, expect, it } from 'vitest';
import type { DiagnosticsPoint } from '../records.js';
import { at, type ContractContext, seedLock, seedUser } from './contract-context.js';

const point = (deviceId: string, offsetMs: number, extra: Partial<DiagnosticsPoint> = {}): DiagnosticsPoint => ({
  deviceId,
  at: at(offsetMs),
  online: true,
  battery: 80,
  rssi: -60,
  uptime: 100,
  boot: 1,
  ...extra,
});

export function describeDiagnosticsContract(ctx: ContractContext): void {
  describe('diagnostics', () => {
    it('keeps points per lock and reads those since a time, oldest first', async () => {
      const owner = await seedUser(ctx.store);
      await seedLock(ctx.store, 'd1', owner.username);
      await seedLock(ctx.store, 'd2', owner.username);
      await ctx.store.diagnostics.append([
        point('d1', 3_000, { battery: 78 }),
        point('d1', 1_000, { battery: 80 }),
        point('d1', -5_000, { battery: 90 }),
        point('d1', 2_000, { online: false, battery: null, rssi: null, uptime: null, boot: null }),
        point('d2', 1_500),
      ]);
      const points = await ctx.store.diagnostics.list('d1', at(0), 100);
      expect(points.map((p) => p.at.getTime())).toEqual([at(1_000), at(2_000), at(3_000)].map((d) => d.getTime()));
      expect(points[1]).toEqual({ deviceId: 'd1', at: at(2_000), online: false, battery: null, rssi: null, uptime: null, boot: null });
      expect(points[2]).toEqual(point('d1', 3_000, { battery: 78 }));
      expect(await ctx.store.diagnostics.list('nobody', at(-10_000), 100)).toEqual([]);
    });

    it('keeps the newest points when there are more than the limit', async () => {
      const owner = await seedUser(ctx.store);
      await seedLock(ctx.store, 'd1', owner.username);
      await ctx.store.diagnostics.append([1, 2, 3, 4].map((i) => point('d1', i * 1_000, { uptime: i })));
      expect((await ctx.store.diagnostics.list('d1', at(0), 2)).map((p) => p.uptime)).toEqual([3, 4]);
      expect(await ctx.store.diagnostics.list('d1', at(0), 0)).toEqual([]);
    });

    it('skips points of unknown locks and forgets a removed lock\'s points', async () => {
      const owner = await seedUser(ctx.store);
      await seedLock(ctx.store, 'd1', owner.username);
      await ctx.store.diagnostics.append([point('d1', 1_000), point('ghost', 1_000)]);
      expect(await ctx.store.diagnostics.list('ghost', at(0), 10)).toEqual([]);
      await ctx.store.locks.remove('d1');
      await seedLock(ctx.store, 'd1', owner.username);
      expect(await ctx.store.diagnostics.list('d1', at(0), 10)).toEqual([]);
    });

    it('deletes points from before the cutoff, oldest first, in batches', async () => {
      const owner = await seedUser(ctx.store);
      await seedLock(ctx.store, 'd1', owner.username);
      await ctx.store.diagnostics.append([-4, -3, -2, -1, 1].map((i) => point('d1', i * 1_000, { uptime: i })));
      expect(await ctx.store.diagnostics.deleteBefore(at(0), 3)).toBe(3);
      expect((await ctx.store.diagnostics.list('d1', at(-10_000), 10)).map((p) => p.uptime)).toEqual([-1, 1]);
      expect(await ctx.store.diagnostics.deleteBefore(at(0), 0)).toBe(0);
      expect(await ctx.store.diagnostics.deleteBefore(at(0), 10)).toBe(1);
    });
  });
}
