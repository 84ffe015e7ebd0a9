import { Arg, Ctx, FieldResolver, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { lockNotFound } from '../locks/lock-access.js';
import { viewerMay } from '../sharing/viewer-access.js';
import { Lock } from '../locks/lock.model.js';
import { DiagnosticsRange, LockDiagnostics } from './diagnostics.model.js';
import { lockDiagnostics, MAX_POINTS, RANGE_MS } from './lock-diagnostics.js';

@Resolver(() => Lock)
export class DiagnosticsResolver {
  @FieldResolver(() => LockDiagnostics, { description: 'Battery, signal, uptime, firmware and their history (everyone who may see the lock: battery and signal matter to a guest too).' })
  async diagnostics(
    @Root() lock: Lock,
    @Arg('range', () => DiagnosticsRange, { defaultValue: DiagnosticsRange.DAY }) range: DiagnosticsRange,
    @Ctx() ctx: GraphQLContext,
  ): Promise<LockDiagnostics> {
    // The root was checked by whoever returned it; re-checked from the stored owner all the same.
    const record = await ctx.loaders.locks.load(lock.deviceId);
    if (!record || !(await viewerMay(ctx, record, 'view'))) throw lockNotFound(lock.deviceId);
    const now = Date.now();
    const points = await ctx.services.store.diagnostics.list(record.deviceId, new Date(now - RANGE_MS[range]), MAX_POINTS);
    return LockDiagnostics.from(lockDiagnostics(record, range, points, now));
  }
}
