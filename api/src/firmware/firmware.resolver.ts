import { Arg, Authorized, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import type { GraphQLContext } from '../app/context.js';
import { NotFoundError } from '../errors/graphql-errors.js';
import { viewerOf } from '../graphql/auth-checker.js';
import { viewerMay } from '../sharing/viewer-access.js';
import { Lock } from '../locks/lock.model.js';
import type { FirmwareRolloutRecord } from '../store/firmware-records.js';
import { FirmwareRelease, FirmwareRollout, LockFirmwareUpdate } from './firmware.model.js';

async function viewOf(ctx: GraphQLContext, rollout: FirmwareRolloutRecord): Promise<FirmwareRollout> {
  const store = ctx.services.store.firmware;
  const [release, updates] = await Promise.all([store.findRelease(rollout.releaseId), store.listLockUpdatesByRollout(rollout.id)]);
  if (!release) throw new NotFoundError(`Release ${rollout.releaseId}`);
  return FirmwareRollout.from(rollout, release, updates);
}

@Resolver(() => Lock)
export class FirmwareResolver {
  @Authorized('ADMIN')
  @Query(() => [FirmwareRelease], { description: 'Signed firmware releases, newest first (admin only). Added with `npm run admin -- firmware-add`.' })
  async firmwareReleases(@Ctx() ctx: GraphQLContext): Promise<FirmwareRelease[]> {
    return (await ctx.services.firmware.rollouts.listReleases()).map((r) => FirmwareRelease.from(r));
  }

  @Authorized('ADMIN')
  @Query(() => [FirmwareRollout], { description: 'Firmware rollouts, newest first, with per-stage counts and every lock\'s update (admin only).' })
  async firmwareRollouts(@Ctx() ctx: GraphQLContext): Promise<FirmwareRollout[]> {
    const rollouts = await ctx.services.firmware.rollouts.listRollouts();
    return Promise.all(rollouts.map((rollout) => viewOf(ctx, rollout)));
  }

  @Authorized('ADMIN')
  @Mutation(() => FirmwareRollout, {
    description:
      'Starts a staged rollout of a release to the locks that speak protocol v3 (admin only, audited). `stages`: ascending cumulative percentages ending at 100, e.g. [1, 10, 50, 100]; each stage waits for every update it sent to end. It pauses itself when more than `maxFailurePercent` of the updates sent failed, rolled back or timed out.',
  })
  async startFirmwareRollout(
    @Arg('releaseId', () => ID) releaseId: string,
    @Arg('stages', () => [Int]) stages: number[],
    @Arg('maxFailurePercent', () => Int) maxFailurePercent: number,
    @Ctx() ctx: GraphQLContext,
  ): Promise<FirmwareRollout> {
    return viewOf(ctx, await ctx.services.firmware.rollouts.start(viewerOf(ctx).username, releaseId, stages, maxFailurePercent));
  }

  @Authorized('ADMIN')
  @Mutation(() => FirmwareRollout, { description: 'Pauses a running rollout: no more updates are sent (those under way go on). Admin only, audited.' })
  async pauseFirmwareRollout(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<FirmwareRollout> {
    return viewOf(ctx, await ctx.services.firmware.rollouts.pause(viewerOf(ctx).username, id));
  }

  @Authorized('ADMIN')
  @Mutation(() => FirmwareRollout, { description: 'Resumes a paused rollout (admin only, audited).' })
  async resumeFirmwareRollout(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<FirmwareRollout> {
    return viewOf(ctx, await ctx.services.firmware.rollouts.resume(viewerOf(ctx).username, id));
  }

  @Authorized('ADMIN')
  @Mutation(() => FirmwareRollout, { description: 'Cancels a rollout for good (admin only, audited).' })
  async cancelFirmwareRollout(@Arg('id', () => ID) id: string, @Ctx() ctx: GraphQLContext): Promise<FirmwareRollout> {
    return viewOf(ctx, await ctx.services.firmware.rollouts.cancel(viewerOf(ctx).username, id));
  }

  @FieldResolver(() => LockFirmwareUpdate, { nullable: true, description: "The lock's latest firmware update (owner, co-owner and admin); null when it never had one." })
  async firmwareUpdate(@Root() lock: Lock, @Ctx() ctx: GraphQLContext): Promise<LockFirmwareUpdate | null> {
    const record = await ctx.loaders.locks.load(lock.deviceId);
    if (!record || !(await viewerMay(ctx, record, 'configure'))) return null;
    const update = await ctx.loaders.firmwareUpdates.load(record.deviceId);
    return update ? LockFirmwareUpdate.from(update) : null;
  }
}
